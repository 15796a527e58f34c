namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// Counters of the group commit, for metrics to read: runs stored, commits, how many runs each commit took and how
/// long it took. Updated by the one writer, read by anyone, without locks.
/// </summary>
internal sealed class IngestStatistics
{
    /// <summary>Upper bounds of the batch-size buckets (runs per commit); a last bucket takes every larger batch.</summary>
    public static readonly int[] BatchSizeBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    /// <summary>Upper bounds of the commit-latency buckets, in milliseconds; a last bucket takes every slower commit.</summary>
    public static readonly double[] CommitMillisecondsBounds = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000];

    private readonly long[] _batchSizes = new long[BatchSizeBounds.Length + 1];
    private readonly long[] _commitLatencies = new long[CommitMillisecondsBounds.Length + 1];
    private long _runs;
    private long _commits;
    private long _failedCommits;
    private long _commitTicks;

    /// <summary>Runs that reached the store (stored, already stored or refused by it), over the server's life.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Commits made.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Commits the store could not make (every request of the batch got 503).</summary>
    public long FailedCommits => Interlocked.Read(ref _failedCommits);

    /// <summary>The time all commits took together.</summary>
    public TimeSpan CommitTime => TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks));

    /// <summary>How many commits took up to each of <see cref="BatchSizeBounds"/> runs (not cumulative), then the rest.</summary>
    public long[] BatchSizes() => Snapshot(_batchSizes);

    /// <summary>How many commits took up to each of <see cref="CommitMillisecondsBounds"/> (not cumulative), then the rest.</summary>
    public long[] CommitLatencies() => Snapshot(_commitLatencies);

    internal void Committed(int runs, TimeSpan took)
    {
        Interlocked.Add(ref _runs, runs);
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _commitTicks, took.Ticks);
        Interlocked.Increment(ref _batchSizes[Bucket(BatchSizeBounds, runs)]);
        Interlocked.Increment(ref _commitLatencies[Bucket(CommitMillisecondsBounds, took.TotalMilliseconds)]);
    }

    internal void Failed() => Interlocked.Increment(ref _failedCommits);

    private static long[] Snapshot(long[] counts)
    {
        var copy = new long[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            copy[i] = Interlocked.Read(ref counts[i]);
        }

        return copy;
    }

    private static int Bucket<T>(T[] bounds, T value)
        where T : IComparable<T>
    {
        var i = 0;
        while (i < bounds.Length && value.CompareTo(bounds[i]) > 0)
        {
            i++;
        }

        return i;
    }
}
