using ScriptMonitor.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Application.Alerts;

/// <summary>How a state counts for alerting.</summary>
internal enum AlertClass
{
    /// <summary>Recorded, never told: never ran, a run from the future, data that cannot be evaluated.</summary>
    Neutral,

    /// <summary>Up, or learning.</summary>
    Up,

    /// <summary>Something a person must hear of.</summary>
    Down,

    /// <summary>Paused or in maintenance: nothing is told while it lasts.</summary>
    Silenced,
}

/// <summary>The alert policy's settings: <c>Alerts:StaleAfter</c>, <c>Alerts:Flapping</c>.</summary>
/// <param name="StaleAfter">A flip whose run is older than this at evaluation is recorded quiet.</param>
/// <param name="FlappingMaxFlips">More up/down changes than this within <paramref name="FlappingWindow"/> is flapping.</param>
/// <param name="FlappingWindow">The window flaps are counted in, and how long a flapping script must stay stable.</param>
internal sealed record AlertPolicySettings(TimeSpan StaleAfter, int FlappingMaxFlips, TimeSpan FlappingWindow)
{
    public static AlertPolicySettings Default { get; } = new(TimeSpan.FromHours(1), 6, TimeSpan.FromHours(1));
}

/// <summary>
/// What the loop remembers of one script between evaluations: its last state, the episode it is in and what was told
/// of it. Rebuilt from the recorded flips when the loop starts.
/// </summary>
internal sealed record AlertMemory
{
    /// <summary>The state last recorded; null before the first flip.</summary>
    public HealthState? State { get; init; }

    /// <summary>The reason the state was recorded with (the flip's), which the evaluation's thresholds that hold read.</summary>
    public HealthReason? Reason { get; init; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>True while a Down was told for the current episode (so its end is told as a recovery).</summary>
    public bool DownTold { get; init; }

    /// <summary>When the current down episode began.</summary>
    public DateTimeOffset? DownSince { get; init; }

    /// <summary>What people were last told: <see cref="AlertClass.Down"/>, <see cref="AlertClass.Up"/>, or neutral for nothing yet.</summary>
    public AlertClass LastTold { get; init; } = AlertClass.Neutral;

    /// <summary>When the script last changed between up and down, newest last, within the flapping window.</summary>
    public IReadOnlyList<DateTimeOffset> UpDownChanges { get; init; } = [];

    /// <summary>True after a Flapping notice, until the script has been stable for the window.</summary>
    public bool Flapping { get; init; }

    /// <summary>When each channel was last told of the current down episode, for repeats.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ToldAt { get; init; } = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
}

/// <summary>One notice the policy decided on, to one channel.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Kind">What it tells.</param>
internal sealed record AlertNotice(AlertChannel Channel, NotificationKind Kind);

/// <summary>What one evaluation leads to.</summary>
/// <param name="Flip">The change of state to record; null when the state is the same.</param>
/// <param name="Notices">What to tell, per channel; empty for nothing.</param>
/// <param name="Memory">What to remember of the script from now on.</param>
/// <param name="NextDue">When the policy itself needs the script evaluated again (a repeat, the end of flapping); null for never.</param>
internal sealed record AlertDecision(StateFlip? Flip, IReadOnlyList<AlertNotice> Notices, AlertMemory Memory, DateTimeOffset? NextDue)
{
    /// <summary>The kind of notice when there is one (every channel is told the same).</summary>
    public NotificationKind? Kind => Notices.Count > 0 ? Notices[0].Kind : null;
}

/// <summary>
/// What notifies: a pure function from what the loop remembers of a script, its new evaluation, the channels, the
/// instant and the settings to the flip to record and the notices to send. See docs/alerts.md, "What notifies".
/// </summary>
internal static class AlertPolicy
{
    /// <summary>How a state counts.</summary>
    public static AlertClass ClassOf(HealthState? state) => state switch
    {
        HealthState.Up or HealthState.Learning => AlertClass.Up,
        HealthState.Paused or HealthState.Maintenance => AlertClass.Silenced,
        HealthState.NeverRan or HealthState.FutureRun or HealthState.Unknown or null => AlertClass.Neutral,
        _ => AlertClass.Down,
    };

    /// <summary>States held against a deadline: time passing made them, so they are never stale.</summary>
    public static bool IsDeadline(HealthState state) => state is HealthState.Late or HealthState.Missing or HealthState.TooRare;

    /// <summary>
    /// Whether a flip rests on news that is old: the run it is about ended longer than the stale time ago (a spool
    /// delivered after an outage). By when the run ended, not when it started: a two-hour job that fails now is news.
    /// Never for a deadline, nor for a run still running too long, which is news for as long as it runs, nor for a
    /// runtime drift, a trend of the recent runs against a month before, news whenever it is first found (the month
    /// before moves on at midnight, and a job that runs every six hours is found drifting hours after its last run).
    /// </summary>
    public static bool IsStale(HealthState state, HealthFacts facts, DateTimeOffset now, AlertPolicySettings settings) =>
        !IsDeadline(state) && state != HealthState.RunningTooLong && !IsDrift(state, facts)
        && (facts.RunEndedAt ?? facts.RunStartedAt) is { } ran && now - ran > settings.StaleAfter;

    /// <summary>A runtime drift: too long by a median of recent runs (its facts count them), not by one run.</summary>
    private static bool IsDrift(HealthState state, HealthFacts facts) =>
        state == HealthState.RuntimeTooLong && facts.ObservedCount is not null;

    /// <summary>Decides what an evaluation leads to.</summary>
    /// <param name="memory">What the loop remembers of the script.</param>
    /// <param name="health">Its new evaluation.</param>
    /// <param name="channels">Every channel.</param>
    /// <param name="now">The instant of the evaluation.</param>
    /// <param name="settings">The policy's settings.</param>
    public static AlertDecision Decide(AlertMemory memory, ScriptHealth health, IReadOnlyList<AlertChannel> channels, DateTimeOffset now, AlertPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(settings);
        var tags = health.Expectation?.Tags ?? [];
        var routed = channels.Where(c => c.BrokenSince is null && c.Routes(health.ScriptName, tags)).ToList();
        var to = health.State;
        var toClass = ClassOf(to);
        var recent = memory.UpDownChanges.Where(at => now - at < settings.FlappingWindow).ToList();

        if (memory.State == to)
        {
            return Unchanged(memory with { UpDownChanges = recent }, health, routed, now, settings);
        }

        var fromClass = ClassOf(memory.State);
        var reason = health.Reasons[0];
        var stale = IsStale(to, reason.Facts, now, settings);
        var next = memory with { State = to, Reason = reason, ChangedAt = now };

        // Flapping counts every change between up and down, told or not.
        var upDown = (fromClass, toClass) is (AlertClass.Up, AlertClass.Down) or (AlertClass.Down, AlertClass.Up);
        if (upDown)
        {
            recent.Add(now);
        }

        next = next with { UpDownChanges = recent };
        NotificationKind? kind = null;
        if (toClass == AlertClass.Down && fromClass != AlertClass.Down)
        {
            // Through a neutral state (down, unknown, down) the episode told goes on; anything else begins one.
            if (!(fromClass == AlertClass.Neutral && memory.DownTold))
            {
                next = next with { DownSince = now, DownTold = false, ToldAt = Empty };
                if (!stale)
                {
                    kind = NotificationKind.Down;
                }
            }
        }
        else if (toClass == AlertClass.Up && memory.DownTold)
        {
            next = next with { DownTold = false, DownSince = null, ToldAt = Empty };
            kind = stale ? null : NotificationKind.Recovery;
        }
        else if (toClass == AlertClass.Up || toClass == AlertClass.Silenced)
        {
            // New, paused or in maintenance to up is quiet; down to silenced ends the episode without a recovery.
            next = next with { DownTold = false, DownSince = null, ToldAt = Empty };
        }

        if (next.Flapping || (upDown && recent.Count > settings.FlappingMaxFlips))
        {
            kind = next.Flapping ? null : NotificationKind.Flapping;
            next = next with { Flapping = true };
        }

        if (kind is { } told)
        {
            next = Told(next, told, routed, now);
        }

        var flip = new StateFlip(0, health.ScriptName, now, memory.State, to, reason) { Quiet = kind is null };
        var notices = kind is { } k ? routed.Select(c => new AlertNotice(c, k)).ToList() : [];
        return new AlertDecision(flip, notices, next, NextDue(next, routed, settings));
    }

    /// <summary>The same state as before: perhaps a repeat, perhaps the end of flapping.</summary>
    private static AlertDecision Unchanged(AlertMemory memory, ScriptHealth health, List<AlertChannel> routed, DateTimeOffset now, AlertPolicySettings settings)
    {
        var toClass = ClassOf(health.State);
        if (memory.Flapping)
        {
            if (memory.ChangedAt is { } changed && now - changed < settings.FlappingWindow)
            {
                return new AlertDecision(null, [], memory, NextDue(memory, routed, settings));
            }

            // Stable for the window: flapping is over, and the state is told once if it differs from the last told.
            var settled = memory with { Flapping = false, UpDownChanges = [] };
            NotificationKind? kind = (toClass, memory.LastTold) switch
            {
                (AlertClass.Down, not AlertClass.Down) => NotificationKind.Down,
                (AlertClass.Up, AlertClass.Down) => NotificationKind.Recovery,
                _ => null,
            };
            if (toClass == AlertClass.Down && memory.LastTold == AlertClass.Down)
            {
                // Still down as last told: its recovery is told, and repeats run from now.
                settled = Told(settled, NotificationKind.Down, routed, now);
            }

            if (kind is { } told)
            {
                settled = Told(settled, told, routed, now);
                return new AlertDecision(null, routed.Select(c => new AlertNotice(c, told)).ToList(), settled, NextDue(settled, routed, settings));
            }

            return new AlertDecision(null, [], settled, NextDue(settled, routed, settings));
        }

        if (toClass == AlertClass.Down && memory.DownTold)
        {
            var repeats = routed.Where(c => c.RepeatEvery is { } every && memory.ToldAt.TryGetValue(c.Name, out var at) && now >= at + every).ToList();
            if (repeats.Count > 0)
            {
                var toldAt = new Dictionary<string, DateTimeOffset>(memory.ToldAt, StringComparer.Ordinal);
                foreach (var channel in repeats)
                {
                    toldAt[channel.Name] = now;
                }

                var repeated = memory with { ToldAt = toldAt };
                return new AlertDecision(null, repeats.Select(c => new AlertNotice(c, NotificationKind.Repeat)).ToList(), repeated, NextDue(repeated, routed, settings));
            }
        }

        return new AlertDecision(null, [], memory, NextDue(memory, routed, settings));
    }

    private static AlertMemory Told(AlertMemory memory, NotificationKind kind, List<AlertChannel> routed, DateTimeOffset now) => kind switch
    {
        NotificationKind.Down => memory with { DownTold = true, LastTold = AlertClass.Down, ToldAt = routed.ToDictionary(c => c.Name, _ => now, StringComparer.Ordinal) },
        NotificationKind.Recovery => memory with { DownTold = false, LastTold = AlertClass.Up, ToldAt = Empty },
        _ => memory,
    };

    /// <summary>When the policy needs another look without new data: the end of flapping, or the next repeat.</summary>
    private static DateTimeOffset? NextDue(AlertMemory memory, List<AlertChannel> routed, AlertPolicySettings settings)
    {
        if (memory.Flapping)
        {
            return memory.ChangedAt + settings.FlappingWindow;
        }

        DateTimeOffset? next = null;
        if (memory.DownTold && ClassOf(memory.State) == AlertClass.Down)
        {
            foreach (var channel in routed)
            {
                if (channel.RepeatEvery is { } every && memory.ToldAt.TryGetValue(channel.Name, out var at) && (next is null || at + every < next))
                {
                    next = at + every;
                }
            }
        }

        return next;
    }

    private static readonly IReadOnlyDictionary<string, DateTimeOffset> Empty = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
}
