using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

public sealed class ExpectationLearnerTests
{
    private static readonly DateTimeOffset Start = Utc(2026, 3, 1, 0, 0);
    private const int Seed = 7;

    private static LearnedExpectation Learn(IEnumerable<HistoryRun> runs) =>
        ExpectationLearner.Learn(ScriptHistory.FromRuns(runs)) ?? throw new InvalidOperationException("nothing was learned");

    [Fact]
    public void Hourly_runs_with_two_minutes_of_jitter_learn_one_hour_and_a_band_around_the_runtimes()
    {
        var random = new Random(Seed);
        var runs = Enumerable.Range(0, 40).Select(i => Ok(
            Start.AddHours(i).AddSeconds(random.Next(-120, 121)),
            TimeSpan.FromSeconds(60 + random.Next(-10, 11)))).ToList();

        var learned = Learn(runs);

        Assert.Equal(TimeSpan.FromHours(1), learned.Period);
        Assert.Equal(ScriptHistory.Depth, learned.SampleCount);
        Assert.InRange(learned.RuntimeMedian, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(65));
        Assert.InRange(learned.RuntimeLow, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(14));
        Assert.InRange(learned.RuntimeHigh, TimeSpan.FromSeconds(270), TimeSpan.FromSeconds(330));
        Assert.All(runs.TakeLast(ScriptHistory.Depth), r => Assert.InRange(r.Duration!.Value, learned.RuntimeLow, learned.RuntimeHigh));
        Assert.Equal(TimeSpan.FromMinutes(15), learned.Grace);
    }

    [Fact]
    public void A_daily_job_learns_one_day()
    {
        var random = new Random(Seed);
        var runs = Enumerable.Range(0, 10).Select(i => Ok(
            Start.AddDays(i).AddHours(3).AddSeconds(random.Next(0, 300)),
            TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(random.Next(-30, 31))));

        var learned = Learn(runs);

        Assert.Equal(TimeSpan.FromDays(1), learned.Period);
        Assert.Equal(TimeSpan.FromHours(6), learned.Grace);
        Assert.InRange(learned.RuntimeMedian, TimeSpan.FromMinutes(9.5), TimeSpan.FromMinutes(10.5));
        Assert.True(learned.RuntimeLow <= TimeSpan.FromMinutes(9.5) && learned.RuntimeHigh >= TimeSpan.FromMinutes(10.5), learned.Describe());
    }

    [Fact]
    public void One_outlier_run_moves_neither_the_period_nor_the_band()
    {
        var runs = Enumerable.Range(0, 20)
            .Where(i => i != 10)
            .Select(i => Ok(Start.AddHours(i), i == 15 ? TimeSpan.FromMinutes(30) : TimeSpan.FromSeconds(60 + (i % 5))))
            .ToList();

        var learned = Learn(runs);

        Assert.Equal(TimeSpan.FromHours(1), learned.Period);
        Assert.Equal(TimeSpan.FromSeconds(62), learned.RuntimeMedian);
        Assert.Equal(TimeSpan.FromSeconds(310), learned.RuntimeHigh);
    }

    [Fact]
    public void Runtimes_that_never_vary_still_get_a_band_of_five_times_either_side()
    {
        var learned = Learn(Every(TimeSpan.FromHours(1), Start, 10, TimeSpan.FromSeconds(100)));

        Assert.Equal(TimeSpan.FromSeconds(20), learned.RuntimeLow);
        Assert.Equal(TimeSpan.FromSeconds(500), learned.RuntimeHigh);
    }

    [Fact]
    public void Runs_on_several_hosts_learn_the_period_of_each_host()
    {
        var runs = new[] { "web1", "web2", "web3" }.SelectMany(host => Every(TimeSpan.FromMinutes(30), Start, 8, host: host));

        Assert.Equal(TimeSpan.FromMinutes(30), Learn(runs).Period);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ExpectationLearner.MinimumSuccesses - 1)]
    public void Too_few_successes_learn_nothing(int successes)
    {
        var runs = Every(TimeSpan.FromHours(1), Start, successes).Append(Failed(Start.AddMinutes(30)));

        Assert.Null(ExpectationLearner.Learn(ScriptHistory.FromRuns(runs)));
    }

    [Fact]
    public void The_learned_values_become_an_expectation_that_keeps_the_hosts_and_tags()
    {
        var learned = Learn(Every(TimeSpan.FromHours(1), Start, 10, TimeSpan.FromSeconds(100)));
        var basis = new ScriptExpectation(Script) { Hosts = HostRequirement.Each("db1"), Tags = ["ops"] };

        var expectation = learned.ToExpectation(Script, basis);

        Assert.Equal(Schedule.Every(TimeSpan.FromHours(1)), expectation.Schedule);
        Assert.Equal(TimeSpan.FromSeconds(20), expectation.MinRuntime);
        Assert.Equal(TimeSpan.FromSeconds(500), expectation.MaxRuntime);
        Assert.Equal(HostRequirement.Each("db1"), expectation.Hosts);
        Assert.Equal(["ops"], expectation.Tags);
    }

    [Theory]
    [InlineData(731, 1)]
    [InlineData(3650, 40)]
    [InlineData(400, 31)]
    public void Learned_values_stay_within_what_an_expectation_may_hold_and_can_be_saved(int daysApart, int runtimeDays)
    {
        var runs = Every(TimeSpan.FromDays(daysApart), Utc(2026, 3, 1, 0, 0), 5, TimeSpan.FromDays(runtimeDays));

        var learned = Learn(runs);
        var saved = ExpectationValidation.Validate(learned.ToExpectation(Script));

        Assert.Equal(PeriodSchedule.MaxPeriod, learned.Period);
        Assert.True(learned.RuntimeHigh <= ExpectationValidation.MaxRuntimeLimit, $"high {learned.RuntimeHigh}");
        Assert.True(learned.RuntimeLow <= learned.RuntimeHigh, $"low {learned.RuntimeLow}, high {learned.RuntimeHigh}");
        Assert.True(learned.Grace <= ExpectationValidation.MaxGrace, $"grace {learned.Grace}");
        Assert.Equal(Schedule.Every(PeriodSchedule.MaxPeriod), saved.Schedule);
    }

    [Fact]
    public void The_learned_summary_counts_one_run_in_the_singular()
    {
        var learned = new LearnedExpectation(TimeSpan.FromHours(1), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(75), 1);

        Assert.EndsWith("learned from 1 successful run", learned.Describe(), StringComparison.Ordinal);
    }
}
