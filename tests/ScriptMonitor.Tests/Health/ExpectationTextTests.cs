using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

public sealed class ExpectationTextTests
{
    [Fact]
    public void Every_field_reads_as_a_line()
    {
        var expectation = new ScriptExpectation(Script)
        {
            Schedule = Schedule.Cron("30 2 * * *", "Europe/Berlin"),
            Grace = TimeSpan.FromMinutes(30),
            MinRuntime = TimeSpan.FromSeconds(5),
            MaxRuntime = TimeSpan.FromHours(2),
            Hosts = HostRequirement.AtLeast(2, "db3", "db1", "db2"),
            FailuresTolerated = 1,
            AbandonAfter = TimeSpan.FromHours(6),
            SkipsBeforeAlert = 5,
            Paused = true,
            PausedUntil = Utc(2026, 3, 3, 9, 0),
            Tags = ["ops", "db"],
        };

        var lines = ExpectationText.Describe(expectation).Select(l => $"{l.Field}: {l.Value}");

        Assert.Equal(
            [
                "script: nightly-backup",
                "schedule: at '30 2 * * *' (Europe/Berlin)",
                "grace: 30m",
                "runtime: 5s to 2h",
                "hosts: on at least 2 of db1, db2, db3",
                "failures tolerated: 1",
                "abandoned after: 6h",
                "skips before alert: 5",
                "paused: until 2026-03-03 09:00:00+00:00",
                "tags: db, ops",
            ],
            lines);
    }

    [Fact]
    public void What_is_left_out_says_it_is_learned()
    {
        var learned = new LearnedExpectation(TimeSpan.FromHours(1), TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(75), 24);

        var lines = ExpectationText.Describe(new ScriptExpectation(Script), learned).ToDictionary(l => l.Field, l => l.Value);

        Assert.Equal("learned: about every 1h (grace 15m), normally taking 45s to 1m 15s (median 1m), learned from 24 successful runs", lines["schedule"]);
        Assert.Equal("on any host", lines["hosts"]);
        Assert.Equal("no", lines["paused"]);
        Assert.Equal("the longer of 1d and 10 times the maximum runtime", lines["abandoned after"]);
        Assert.Equal("3", lines["skips before alert"]);
    }
}
