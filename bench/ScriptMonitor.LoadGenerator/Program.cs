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
return args switch
{
    ["key", var database] => await Commands.CreateKeyAsync(database),
    ["load", var target, var url, var key, var connections, var seconds] => await LoadRun.RunAsync(target, new Uri(url), key, int.Parse(connections, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), long.MaxValue),
    ["load", var target, var url, var key, var connections, var seconds, var runs] => await LoadRun.RunAsync(target, new Uri(url), key, int.Parse(connections, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), long.Parse(runs, System.Globalization.CultureInfo.InvariantCulture)),
    ["pingids", var database, var file] => await Commands.CreatePingIdsAsync(database, file),
    ["bare", var port] => await Commands.BareAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    ["commit", var database, var batch, var seconds] => await Commands.CommitAsync(database, int.Parse(batch, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["fsync", var directory, var count] => Commands.Fsync(directory, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Commands.Usage(),
};
