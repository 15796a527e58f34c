using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Tests.Application.Alerts;

/// <summary>What notifies: the alert policy as a table of evaluations in a row and what each one tells.</summary>
public sealed class AlertPolicyTests
{
    private const string Script = "nightly-backup";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertChannel Ops = new("ops", ChannelKind.Webhook);
    private static readonly AlertChannel Db = new("db-team", ChannelKind.Email) { Tags = ["db"] };
    private static readonly AlertPolicySettings Settings = AlertPolicySettings.Default;

    private static ScriptHealth Health(HealthState state, DateTimeOffset at, DateTimeOffset? runStartedAt = null, string[]? tags = null) =>
        new(Script, state, [new HealthReason(state, null, $"{state} for a reason") { Facts = new HealthFacts { RunStartedAt = runStartedAt } }], [], at)
        {
            Expectation = new ScriptExpectation(Script) { Tags = tags ?? [] },
        };

    /// <summary>Runs the states through the policy one minute apart; the kinds told at each step (null for none).</summary>
    private static List<NotificationKind?> Tell(IReadOnlyList<AlertChannel> channels, params HealthState[] states)
    {
        var memory = new AlertMemory();
        var told = new List<NotificationKind?>();
        for (var i = 0; i < states.Length; i++)
        {
            var at = Start.AddMinutes(i);
            var decision = AlertPolicy.Decide(memory, Health(states[i], at), channels, at, Settings);
            told.Add(decision.Kind);
            memory = decision.Memory;
        }

        return told;
    }

    public static TheoryData<string, HealthState[], NotificationKind?[]> Sequences => new()
    {
        { "new to up is quiet", [HealthState.Up], [null] },
        { "up to late tells down", [HealthState.Up, HealthState.Late], [null, NotificationKind.Down] },
        { "late, then up tells the recovery", [HealthState.Up, HealthState.Late, HealthState.Up], [null, NotificationKind.Down, NotificationKind.Recovery] },
        { "down to another down state: flip only", [HealthState.Up, HealthState.Late, HealthState.Missing, HealthState.Up], [null, NotificationKind.Down, null, NotificationKind.Recovery] },
        { "paused to up is quiet", [HealthState.Paused, HealthState.Up], [null, null] },
        { "maintenance to up is quiet", [HealthState.Maintenance, HealthState.Up], [null, null] },
        { "down into maintenance ends the episode without a recovery", [HealthState.Up, HealthState.Failing, HealthState.Maintenance, HealthState.Up], [null, NotificationKind.Down, null, null] },
        { "still down when a window closes is told then", [HealthState.Up, HealthState.Maintenance, HealthState.Late, HealthState.Up], [null, null, NotificationKind.Down, NotificationKind.Recovery] },
        { "learning counts as up", [HealthState.Learning, HealthState.Failing, HealthState.Learning], [null, NotificationKind.Down, NotificationKind.Recovery] },
        { "neutral states are never told", [HealthState.NeverRan, HealthState.Unknown, HealthState.FutureRun, HealthState.Up], [null, null, null, null] },
        { "down through unknown is one episode", [HealthState.Up, HealthState.Late, HealthState.Unknown, HealthState.Late, HealthState.Up], [null, NotificationKind.Down, null, null, NotificationKind.Recovery] },
        { "a new script that is down at once is told", [HealthState.Missing], [NotificationKind.Down] },
        { "the same state again tells nothing", [HealthState.Up, HealthState.Late, HealthState.Late, HealthState.Late], [null, NotificationKind.Down, null, null] },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Tells_what_the_design_says(string because, HealthState[] states, NotificationKind?[] expected)
    {
        static string Line(string because, IEnumerable<NotificationKind?> kinds) => because + ": " + string.Join(", ", kinds.Select(k => k?.ToString() ?? "-"));
        Assert.Equal(Line(because, expected), Line(because, Tell([Ops], states)));
    }

    [Fact]
    public void Every_change_is_a_flip_and_those_not_told_are_quiet()
    {
        var memory = new AlertMemory();
        var first = AlertPolicy.Decide(memory, Health(HealthState.Up, Start), [Ops], Start, Settings);
        var late = AlertPolicy.Decide(first.Memory, Health(HealthState.Late, Start.AddMinutes(1)), [Ops], Start.AddMinutes(1), Settings);
        var same = AlertPolicy.Decide(late.Memory, Health(HealthState.Late, Start.AddMinutes(2)), [Ops], Start.AddMinutes(2), Settings);

        Assert.Equal((null, HealthState.Up, true), (first.Flip!.From, first.Flip.To, first.Flip.Quiet));
        Assert.Equal((HealthState.Up, HealthState.Late, false), (late.Flip!.From, late.Flip.To, late.Flip.Quiet));
        Assert.Null(same.Flip);
        Assert.Empty(same.Notices);
    }

    [Fact]
    public void A_notice_goes_to_every_routed_channel_and_not_to_broken_ones()
    {
        var broken = new AlertChannel("old-hook", ChannelKind.Webhook) { BrokenSince = Start.AddDays(-1), BrokenReason = "404" };
        var other = new AlertChannel("web-team", ChannelKind.Slack) { ScriptNames = ["website-check"] };
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start, tags: ["db"]), [Ops, Db, broken, other], Start, Settings);
        var down = AlertPolicy.Decide(up.Memory, Health(HealthState.Failing, Start.AddMinutes(1), tags: ["db"]), [Ops, Db, broken, other], Start.AddMinutes(1), Settings);

        Assert.Equal(["ops", "db-team"], down.Notices.Select(n => n.Channel.Name));
        Assert.All(down.Notices, n => Assert.Equal(NotificationKind.Down, n.Kind));
    }

    [Fact]
    public void A_flip_that_rests_on_an_old_run_is_recorded_quiet()
    {
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start), [Ops], Start, Settings);
        var failing = AlertPolicy.Decide(up.Memory, Health(HealthState.Failing, Start.AddMinutes(1), runStartedAt: Start.AddHours(-3)), [Ops], Start.AddMinutes(1), Settings);
        var recovered = AlertPolicy.Decide(failing.Memory, Health(HealthState.Up, Start.AddMinutes(2)), [Ops], Start.AddMinutes(2), Settings);

        Assert.True(failing.Flip!.Quiet);
        Assert.Empty(failing.Notices);
        // Nobody heard of the failure, so nobody hears of its end.
        Assert.Empty(recovered.Notices);
    }

    [Fact]
    public void A_long_job_that_fails_now_is_news_though_it_started_hours_ago()
    {
        // A job with a two-hour runtime failed, and the flip was recorded quiet because
        // its run had started more than an hour before. Its end is what is new; a spooled run that ended hours ago is not.
        ScriptHealth Failing(DateTimeOffset ended) =>
            new(Script, HealthState.Failing, [new HealthReason(HealthState.Failing, null, "failed") { Facts = new HealthFacts { RunStartedAt = ended.AddHours(-2), RunEndedAt = ended } }], [], Start.AddMinutes(1));
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start), [Ops], Start, Settings);

        var now = AlertPolicy.Decide(up.Memory, Failing(Start.AddSeconds(30)), [Ops], Start.AddMinutes(1), Settings);
        var spooled = AlertPolicy.Decide(up.Memory, Failing(Start.AddHours(-2)), [Ops], Start.AddMinutes(1), Settings);

        Assert.Equal(NotificationKind.Down, now.Kind);
        Assert.True(spooled.Flip!.Quiet);
    }

    [Fact]
    public void A_run_hanging_for_hours_is_told_however_long_ago_it_started()
    {
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start), [Ops], Start, Settings);
        var hanging = AlertPolicy.Decide(up.Memory, Health(HealthState.RunningTooLong, Start.AddMinutes(1), runStartedAt: Start.AddHours(-3)), [Ops], Start.AddMinutes(1), Settings);

        Assert.Equal(NotificationKind.Down, hanging.Kind);
    }

    [Fact]
    public void A_runtime_drift_is_news_when_found_though_its_newest_run_ended_hours_ago()
    {
        // A job every six hours, found drifting at midnight when the month before moved on: its newest run ended
        // hours ago, but the trend is what is new. One run too long that ended hours ago is old news.
        ScriptHealth TooLong(long? recentRuns) =>
            new(Script, HealthState.RuntimeTooLong, [new HealthReason(HealthState.RuntimeTooLong, null, "too long") { Facts = new HealthFacts { RunStartedAt = Start.AddDays(-3), RunEndedAt = Start.AddHours(-6), ObservedCount = recentRuns } }], [], Start.AddMinutes(1));
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start), [Ops], Start, Settings);

        var drift = AlertPolicy.Decide(up.Memory, TooLong(12), [Ops], Start.AddMinutes(1), Settings);
        var oneRun = AlertPolicy.Decide(up.Memory, TooLong(null), [Ops], Start.AddMinutes(1), Settings);

        Assert.Equal(NotificationKind.Down, drift.Kind);
        Assert.True(oneRun.Flip!.Quiet);

        // The loop remembers the reason it recorded: the evaluation's drift threshold holds only a recorded drift.
        Assert.Equal(12, drift.Memory.Reason!.Facts.ObservedCount);
    }

    [Fact]
    public void A_deadline_flip_is_never_stale()
    {
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start), [Ops], Start, Settings);
        var late = AlertPolicy.Decide(up.Memory, Health(HealthState.Late, Start.AddMinutes(1), runStartedAt: Start.AddHours(-3)), [Ops], Start.AddMinutes(1), Settings);

        Assert.Equal(NotificationKind.Down, late.Kind);
    }

    [Fact]
    public void Flapping_is_told_once_then_quiet_until_stable_then_the_state_once()
    {
        var memory = new AlertMemory();
        var kinds = new List<NotificationKind?>();
        var at = Start;
        foreach (var state in new[] { HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing })
        {
            var decision = AlertPolicy.Decide(memory, Health(state, at), [Ops], at, Settings);
            kinds.Add(decision.Kind);
            memory = decision.Memory;
            at = at.AddMinutes(1);
        }

        // Up/down changes 1 to 6 are told as usual; the 7th is the flapping notice; then nothing.
        Assert.Equal(
            [null, NotificationKind.Down, NotificationKind.Recovery, NotificationKind.Down, NotificationKind.Recovery, NotificationKind.Down, NotificationKind.Recovery, NotificationKind.Flapping, null, null],
            kinds);

        // Still failing a little before the window has passed: quiet; once stable for the window, told once that it is down.
        var before = AlertPolicy.Decide(memory, Health(HealthState.Failing, memory.ChangedAt!.Value.AddMinutes(59)), [Ops], memory.ChangedAt!.Value.AddMinutes(59), Settings);
        Assert.Empty(before.Notices);
        Assert.Equal(memory.ChangedAt!.Value + Settings.FlappingWindow, before.NextDue);
        var settledAt = memory.ChangedAt!.Value + Settings.FlappingWindow;
        var settled = AlertPolicy.Decide(before.Memory, Health(HealthState.Failing, settledAt), [Ops], settledAt, Settings);
        Assert.Equal(NotificationKind.Down, settled.Kind);
        Assert.Null(settled.Flip);

        // And its recovery is told as usual.
        var recovered = AlertPolicy.Decide(settled.Memory, Health(HealthState.Up, settledAt.AddMinutes(1)), [Ops], settledAt.AddMinutes(1), Settings);
        Assert.Equal(NotificationKind.Recovery, recovered.Kind);
    }

    [Fact]
    public void Flapping_that_settles_where_it_was_last_told_tells_nothing()
    {
        var memory = new AlertMemory();
        var at = Start;
        foreach (var state in new[] { HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing, HealthState.Up, HealthState.Failing, HealthState.Up })
        {
            memory = AlertPolicy.Decide(memory, Health(state, at), [Ops], at, Settings).Memory;
            at = at.AddMinutes(1);
        }

        // The last told was the recovery before the flapping notice; it settles up.
        var settledAt = memory.ChangedAt!.Value + Settings.FlappingWindow;
        var settled = AlertPolicy.Decide(memory, Health(HealthState.Up, settledAt), [Ops], settledAt, Settings);
        Assert.Empty(settled.Notices);
        Assert.False(settled.Memory.Flapping);
    }

    [Fact]
    public void A_channel_with_repeat_is_told_again_while_the_script_stays_down()
    {
        var repeating = new AlertChannel("pager", ChannelKind.Webhook) { RepeatEvery = TimeSpan.FromMinutes(30) };
        var channels = new[] { Ops, repeating };
        var up = AlertPolicy.Decide(new AlertMemory(), Health(HealthState.Up, Start), channels, Start, Settings);
        var down = AlertPolicy.Decide(up.Memory, Health(HealthState.Late, Start), channels, Start, Settings);
        Assert.Equal(Start.AddMinutes(30), down.NextDue);

        var early = AlertPolicy.Decide(down.Memory, Health(HealthState.Late, Start.AddMinutes(29)), channels, Start.AddMinutes(29), Settings);
        Assert.Empty(early.Notices);

        var repeat = AlertPolicy.Decide(early.Memory, Health(HealthState.Missing, Start.AddMinutes(30)), channels, Start.AddMinutes(30), Settings);
        // A change between down states is a flip, not a repeat; the repeat comes at the next look.
        Assert.Empty(repeat.Notices);
        var again = AlertPolicy.Decide(repeat.Memory, Health(HealthState.Missing, Start.AddMinutes(31)), channels, Start.AddMinutes(31), Settings);
        Assert.Equal([("pager", NotificationKind.Repeat)], again.Notices.Select(n => (n.Channel.Name, n.Kind)));
        Assert.Equal(Start.AddMinutes(61), again.NextDue);

        var recovered = AlertPolicy.Decide(again.Memory, Health(HealthState.Up, Start.AddMinutes(40)), channels, Start.AddMinutes(40), Settings);
        Assert.Equal(2, recovered.Notices.Count);
        Assert.Null(recovered.NextDue);
    }
}
