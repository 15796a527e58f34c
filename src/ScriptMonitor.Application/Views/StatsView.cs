namespace ScriptMonitor.Application.Views;

/// <summary>Runtime statistics of a script's successful runs in a window (<c>scriptmon stats --json</c>).</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Host">Only runs on this host; null for every host.</param>
/// <param name="Since">The window's inclusive start.</param>
/// <param name="Until">The window's exclusive end.</param>
/// <param name="Count">How many successful runs started in the window.</param>
/// <param name="MeanSeconds">Their mean runtime.</param>
/// <param name="MedianSeconds">Their median runtime.</param>
/// <param name="P95Seconds">Their 95th percentile runtime.</param>
/// <param name="MinSeconds">The shortest.</param>
/// <param name="MaxSeconds">The longest.</param>
/// <param name="DurationsSeconds">Each run's runtime, oldest first (at most the newest 10,000).</param>
/// <param name="Histogram">The runtimes' spread, shortest bucket first.</param>
public sealed record StatsView(
    string Script,
    string? Host,
    string Since,
    string Until,
    int Count,
    double MeanSeconds,
    double MedianSeconds,
    double P95Seconds,
    double MinSeconds,
    double MaxSeconds,
    IReadOnlyList<double> DurationsSeconds,
    IReadOnlyList<HistogramBucketView> Histogram);

/// <summary>One bucket of a runtime histogram.</summary>
/// <param name="FromSeconds">Its shortest runtime.</param>
/// <param name="ToSeconds">Its longest runtime.</param>
/// <param name="Count">How many runs fall in it.</param>
public sealed record HistogramBucketView(double FromSeconds, double ToSeconds, int Count);
