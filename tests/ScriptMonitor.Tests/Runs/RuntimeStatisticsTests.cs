using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Runs;

public sealed class RuntimeStatisticsTests
{
    [Fact]
    public void Statistics_of_no_runs_are_empty()
    {
        Assert.Equal(RuntimeStatistics.Empty, RuntimeStatistics.Of([]));
    }

    [Fact]
    public void Statistics_of_one_run_are_that_run()
    {
        var stats = RuntimeStatistics.Of([TimeSpan.FromSeconds(7)]);

        Assert.Equal(new RuntimeStatistics(1, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)), stats);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_midpoint_and_p95_is_the_nearest_rank()
    {
        var durations = Enumerable.Range(1, 100).Select(i => TimeSpan.FromSeconds(i)).Reverse();

        var stats = RuntimeStatistics.Of(durations);

        Assert.Equal(100, stats.Count);
        Assert.Equal(TimeSpan.FromSeconds(50.5), stats.Mean);
        Assert.Equal(TimeSpan.FromSeconds(50.5), stats.Median);
        Assert.Equal(TimeSpan.FromSeconds(95), stats.P95);
        Assert.Equal(TimeSpan.FromSeconds(1), stats.Min);
        Assert.Equal(TimeSpan.FromSeconds(100), stats.Max);
    }
}
