using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Health;

/// <summary>Builds run histories for the evaluation tables.</summary>
internal static class History
{
    internal const string Script = "nightly-backup";

    /// <summary>The instant the tables evaluate at.</summary>
    internal static readonly DateTimeOffset Now = Utc(2026, 3, 2, 12, 0);

    internal static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>Hourly with 10 minutes' grace: the expectation the tables vary.</summary>
    internal static readonly ScriptExpectation Hourly = new(Script) { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Grace = TimeSpan.FromMinutes(10) };

    internal static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    internal static HistoryRun Ok(DateTimeOffset started, TimeSpan? took = null, string host = "db1") =>
        new(host, started, started + (took ?? TimeSpan.FromMinutes(1)), RunOutcome.Succeeded);

    internal static HistoryRun Failed(DateTimeOffset started, int exitCode = 2, string host = "db1") =>
        new(host, started, started + TimeSpan.FromMinutes(1), RunOutcome.Failed, exitCode);

    internal static HistoryRun Running(DateTimeOffset started, string host = "db1") =>
        new(host, started, null, RunOutcome.Running);

    internal static HistoryRun Abandoned(DateTimeOffset started, string host = "db1") =>
        new(host, started, started + TimeSpan.FromHours(1), RunOutcome.Abandoned);

    internal static ScriptSkip Skip(DateTimeOffset at, string host = "db1", string holder = "pid 4242 since 2026-03-02T02:15:00Z") =>
        new(Guid.NewGuid(), Script, host, at, holder);

    /// <summary>One successful run every <paramref name="every"/>, the newest at <paramref name="newest"/>.</summary>
    internal static IEnumerable<HistoryRun> Every(TimeSpan every, DateTimeOffset newest, int count, TimeSpan? took = null, string host = "db1") =>
        Enumerable.Range(0, count).Select(i => Ok(newest - (every * i), took, host));

    internal static ScriptHealth Evaluate(ScriptExpectation? expectation, IEnumerable<HistoryRun> runs, DateTimeOffset now, IEnumerable<ScriptSkip>? skips = null) =>
        HealthEvaluator.Evaluate(new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(runs, skips)), now);
}
