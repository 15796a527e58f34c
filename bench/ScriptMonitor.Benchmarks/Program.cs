using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ScriptMonitor.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
