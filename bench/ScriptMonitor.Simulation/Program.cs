using System.Globalization;
using ScriptMonitor.Simulation;

// scriptmon-simulation [--seed N] [--scripts N] [--year Y] [--days N] [--reduced] [--json FILE] [--dir DIR] [--tick SECONDS] [--store sqlite|postgresql] [--connection CONNECTION]
// Prints the table; writes the JSON report to --json (artifacts/alert-simulation-<seed>.json by default).
// --store postgresql --connection "Host=...;Username=...;Database=postgres": on that server instead of SQLite files, each
// shard and segment in a database of its own, created there and dropped at its end.
var seed = 15;
var count = 1000;
var year = 2028;
var reduced = false;
var tick = 60;
int? days = null;
string? json = null;
string? directory = null;
var storeKind = "sqlite";
string? connection = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int Number(string name)
    {
        var text = Value();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive whole number (it is '{text}').");
    }

    switch (args[i])
    {
        case "--seed": seed = Number("--seed"); break;
        case "--scripts": count = Number("--scripts"); break;
        case "--year": year = Number("--year"); break;
        case "--tick": tick = Number("--tick"); break;
        case "--reduced": reduced = true; break;
        case "--days": days = Number("--days"); break;
        case "--json": json = Value(); break;
        case "--dir": directory = Value(); break;
        case "--store": storeKind = Value(); break;
        case "--connection": connection = Value(); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: scriptmon-simulation [--seed N] [--scripts N] [--year Y] [--days N] [--reduced] [--json FILE] [--dir DIR] [--tick SECONDS] [--store sqlite|postgresql] [--connection CONNECTION]");
            return 2;
    }
}

switch (storeKind)
{
    case "sqlite" when connection is not null:
        Console.Error.WriteLine("--connection is for --store postgresql; SQLite needs none (its files go to --dir).");
        return 2;
    case "postgresql" when string.IsNullOrWhiteSpace(connection):
        Console.Error.WriteLine("--store postgresql needs --connection \"Host=...;Username=...;Database=postgres\" (a server where this user may create databases).");
        return 2;
    case "sqlite" or "postgresql":
        break;
    default:
        Console.Error.WriteLine($"--store must be sqlite or postgresql (it is '{storeKind}').");
        return 2;
}

if (reduced && count == 1000)
{
    count = 100;
}

var terminal = !Console.IsErrorRedirected && !Console.IsOutputRedirected;
var lastDrawn = -1;
void Progress(double fraction, long runs)
{
    var percent = (int)(fraction * 100);
    if (!terminal || percent == lastDrawn)
    {
        return;
    }

    lastDrawn = percent;
    var width = 40;
    var filled = Math.Clamp((int)(fraction * width), 0, width);
    Console.Error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {percent,3}%  {runs:N0} runs");
}

var options = new SimulationOptions
{
    Seed = seed,
    Scripts = count,
    Year = year,
    Reduced = reduced,
    Directory = directory,
    Tick = TimeSpan.FromSeconds(tick),
    Days = days,
    PostgreSql = connection,
    Progress = Progress,
};

SimulationReport report;
try
{
    report = await AlertSimulation.RunAsync(options);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
catch (Exception e) when (e is Npgsql.NpgsqlException or ScriptMonitor.Runs.StoreUnavailableException or ArgumentException && connection is not null)
{
    Console.Error.WriteLine($"The simulation cannot use the PostgreSQL server of --connection: {e.Message}");
    return 1;
}

if (terminal)
{
    Console.Error.Write("\r" + new string(' ', 70) + "\r");
}

Console.Write(report.Table());
json ??= Path.Combine("artifacts", $"alert-simulation-{seed}{(reduced ? "-reduced" : string.Empty)}.json");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
await File.WriteAllTextAsync(json, report.Json());
Console.WriteLine($"report: {json}");
return report.Clean ? 0 : 3;
