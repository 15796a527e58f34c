using ScriptMonitor.LoadGenerator;

// Subcommands, each for bench/ingest-load.sh:
//   key DATABASE                         creates an ingest key on a store (any script), prints the secret
//   load TARGET URL KEY CONNECTIONS SECONDS [RUNS]
//                                        sends runs for SECONDS (or until RUNS are acknowledged); TARGET is
//                                        scriptmon, healthchecks, bare or pushgateway; prints one line of figures
//   pingids DATABASE FILE                gives the 10,000 scripts of the load their Healthchecks ping UUIDs, written to FILE
//                                        (the KEY of the healthchecks target)
//   bare PORT                            a bare Kestrel endpoint answering 200 to a JSON POST, until killed
//   fsync DIRECTORY COUNT                write+fsync of 4 KiB COUNT times in DIRECTORY; prints p50/p99
//   commit DATABASE BATCH SECONDS        the store alone: batches of BATCH runs through ImportRunsAsync for SECONDS
// and for bench/dashboard.sh:
//   dashboard-seed DATABASE [SCRIPTS [RUNS]]
//                                        10,000 hourly scripts (5 % failing) with 24 runs each, and dense-000 with a
//                                        run a minute for a week; prints a read key
//   dashboard-time URL KEY PATH [REQUESTS [GAP_MS]]
//                                        REQUESTS reads of PATH (100), GAP_MS apart (1100: after the server's 1 s
//                                        answer expired); prints p50/p95 and the answer's size
return args switch
{
    ["key", var database] => await Commands.CreateKeyAsync(database),
    ["load", var target, var url, var key, var connections, var seconds] => await LoadRun.RunAsync(target, new Uri(url), key, int.Parse(connections, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), long.MaxValue),
    ["load", var target, var url, var key, var connections, var seconds, var runs] => await LoadRun.RunAsync(target, new Uri(url), key, int.Parse(connections, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), long.Parse(runs, System.Globalization.CultureInfo.InvariantCulture)),
    ["pingids", var database, var file] => await Commands.CreatePingIdsAsync(database, file),
    ["bare", var port] => await Commands.BareAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    ["commit", var database, var batch, var seconds] => await Commands.CommitAsync(database, int.Parse(batch, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["fsync", var directory, var count] => Commands.Fsync(directory, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    ["dashboard-seed", var database] => await DashboardBench.SeedAsync(database, 10_000, 24),
    ["dashboard-seed", var database, var scripts] => await DashboardBench.SeedAsync(database, int.Parse(scripts, System.Globalization.CultureInfo.InvariantCulture), 24),
    ["dashboard-seed", var database, var scripts, var runs] => await DashboardBench.SeedAsync(database, int.Parse(scripts, System.Globalization.CultureInfo.InvariantCulture), int.Parse(runs, System.Globalization.CultureInfo.InvariantCulture)),
    ["dashboard-time", var url, var key, var path] => await DashboardBench.TimeAsync(new Uri(url), key, path, 100, 1100),
    ["dashboard-time", var url, var key, var path, var requests] => await DashboardBench.TimeAsync(new Uri(url), key, path, int.Parse(requests, System.Globalization.CultureInfo.InvariantCulture), 1100),
    ["dashboard-time", var url, var key, var path, var requests, var gap] => await DashboardBench.TimeAsync(new Uri(url), key, path, int.Parse(requests, System.Globalization.CultureInfo.InvariantCulture), int.Parse(gap, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Commands.Usage(),
};
