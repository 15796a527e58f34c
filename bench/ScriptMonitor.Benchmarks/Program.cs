using System.Globalization;
using BenchmarkDotNet.Running;
using ScriptMonitor.Benchmarks;

// dotnet run -c Release --project bench/ScriptMonitor.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/ScriptMonitor.Benchmarks -- make-data SCRIPTS RUNS
//   makes (once) the SQLite store the benchmarks read and prints its path, for the whole-process scripts in bench/.
if (args is ["make-data", var scripts, var runs])
{
    Console.WriteLine(BenchmarkData.SqliteWithRuns(int.Parse(scripts, CultureInfo.InvariantCulture), int.Parse(runs, CultureInfo.InvariantCulture)));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
