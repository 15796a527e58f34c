namespace ScriptMonitor.Server.Ingest;

/// <summary>How runs received at once are committed together, bound from <c>Server:Ingest</c>.</summary>
internal sealed class IngestOptions
{
    /// <summary>The configuration section these settings live in.</summary>
    public const string Section = "Server:Ingest";

    /// <summary>The most runs one commit takes; more waiting runs go into the next.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// How long an idle writer waits for more runs after the first, in milliseconds. Default 0: it commits what is there
    /// at once, and under load the next batch gathers while one is written anyway. Measured with 64 clients, a wait
    /// of 2 ms cost a third of the throughput: each commit's clients were all waiting for it, so after every commit
    /// the writer found nothing queued and waited the whole time. A writer that finds runs waiting never waits.
    /// </summary>
    public double MaxWaitMilliseconds { get; set; }

    /// <summary>
    /// How many commits may be under way at once; 0 chooses: one for a SQLite file, whose writes take turns anyway,
    /// four for PostgreSQL, which commits transactions of several connections at the same time.
    /// </summary>
    public int Writers { get; set; }

    /// <summary>How many runs may wait for a commit; a request beyond it waits for room.</summary>
    public int QueueCapacity { get; set; } = 8_192;

    /// <summary>The settings with each value held within its bounds, so a typo cannot stall or flood the store.</summary>
    public IngestOptions Bounded() => new()
    {
        MaxBatch = Math.Clamp(MaxBatch, 1, 4_096),
        MaxWaitMilliseconds = Math.Clamp(MaxWaitMilliseconds, 0, 100),
        QueueCapacity = Math.Clamp(QueueCapacity, 1, 1_000_000),
        Writers = Math.Clamp(Writers, 0, 64),
    };
}
