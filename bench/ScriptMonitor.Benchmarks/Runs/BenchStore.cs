namespace ScriptMonitor.Benchmarks.Runs;

/// <summary>The stores a benchmark runs against, side by side in one run.</summary>
public enum BenchStore
{
    Sqlite,
    PostgreSql,
}
