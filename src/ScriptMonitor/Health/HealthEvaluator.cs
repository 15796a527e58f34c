using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The one evaluation every surface reads: a pure function of a script's expectation, its recent history and an
/// instant. Nothing here reads a clock or a store, so every rule is a row in a table of tests. The rules themselves
/// live beside it: <see cref="AvailabilityRules"/>, <see cref="FailureRules"/>, <see cref="RuntimeRules"/> and
/// <see cref="RateRules"/>; every reason they give carries its facts (<see cref="HealthReason.Facts"/>).
/// </summary>
internal static class HealthEvaluator
{
    /// <summary>This many due runs missed in a row turn "late" into "missing": one late run is a delay, three are an outage.</summary>
    internal const int MissedForMissing = 3;

    /// <summary>
    /// A run that starts this much before a cron occurrence counts for it: a host whose clock runs a little ahead
    /// starts its cron jobs early, and that run is not a run for the previous occurrence.
    /// </summary>
    internal static readonly TimeSpan EarlyStartTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A run that started up to this much after the instant of the evaluation is taken as on time: the clocks of the
    /// hosts that report into one store disagree a little. Beyond it the run is "from the future" and does not count,
    /// so that a host whose clock is hours ahead cannot hide a job that stopped.
    /// </summary>
    internal static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The rate rules count runs over the last this many scheduled occurrences: short enough to see a change within a day of an hourly job.</summary>
    internal const int RateWindowOccurrences = 6;

    /// <summary>Fewer than this fraction of the expected runs in the window is "too rare": half, so one delayed run is not.</summary>
    internal const double TooRareRatio = 0.5;

    /// <summary>More than this multiple of the expected runs in the window is "too often": double, so a manual rerun is not.</summary>
    internal const double TooOftenRatio = 2.0;

    /// <summary>
    /// A script found running too often stays so until no more than this multiple of the expected runs are in the
    /// window: a burst's edges move the count across <see cref="TooOftenRatio"/> more than once as runs enter and leave
    /// the window, and each crossing was a new alert.
    /// </summary>
    internal const double TooOftenClearRatio = 1.5;

    /// <summary>A script found running too rarely stays so until at least this fraction of the expected runs are in the window.</summary>
    internal const double TooRareClearRatio = 0.75;

    /// <summary>
    /// The shortest time after which a run still in progress is presumed abandoned when no expectation sets one and
    /// nobody can tell whether its process lives: a day, so that a nightly job that runs long is never presumed gone.
    /// </summary>
    internal static readonly TimeSpan DefaultAbandonAfter = TimeSpan.FromDays(1);

    /// <summary>
    /// Without an expectation's bound, a run is presumed abandoned after this many times its maximum runtime (set or
    /// learned) when that is longer than <see cref="DefaultAbandonAfter"/>: far past anything the script has done.
    /// </summary>
    internal const int AbandonAfterRuntimes = 10;

    /// <summary>Instants are stored to the microsecond: the smallest step between two distinct stored starts.</summary>
    internal static readonly TimeSpan StoredResolution = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    /// <summary>The states that say a host did not run as expected, for "each" and "at least k" of a host list.</summary>
    private static readonly HealthState[] AvailabilityStates = [HealthState.Late, HealthState.Missing, HealthState.Skipped, HealthState.Abandoned, HealthState.Failing];

    /// <summary>
    /// Evaluates one script. Whatever its stored data holds, this returns: a script that cannot be evaluated is
    /// <see cref="HealthState.Unknown"/> with the reason, so that one bad script never hides the others.
    /// </summary>
    /// <param name="snapshot">The script's expectation and history, the history as deep as the store gave it.</param>
    /// <param name="now">The instant of the evaluation.</param>
    /// <param name="counts">
    /// Exact counts the store answered for the requests of an earlier evaluation of the same snapshot
    /// (<see cref="ScriptHealth.CountsNeeded"/>); without them such a count is reported as "at least".
    /// </param>
    internal static ScriptHealth Evaluate(ScriptSnapshot snapshot, DateTimeOffset now, IReadOnlyDictionary<RunQuery, long>? counts = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Problem is { } problem)
        {
            return Unevaluable(snapshot, now, problem);
        }

        try
        {
            var health = EvaluateCore(snapshot, now, counts);
            return snapshot.MaintenanceWindows.Count == 0 ? health : health with { WindowChangeAt = NextWindowChange(snapshot.MaintenanceWindows, now) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Unevaluable(snapshot, now, e.Message);
        }
    }

    /// <summary>How long a run of the script may stay in progress before it is presumed abandoned.</summary>
    internal static TimeSpan AbandonAfter(ScriptSnapshot snapshot) =>
        EvaluationRules.For(snapshot.Expectation, ExpectationLearner.Learn(snapshot.History)).AbandonAfter;

    /// <summary>Whether a run started so far after <paramref name="now"/> that some clock must be wrong.</summary>
    internal static bool IsFromTheFuture(HistoryRun run, DateTimeOffset now) => run.StartedAt > now + FutureTolerance;

    private static ScriptHealth Unevaluable(ScriptSnapshot snapshot, DateTimeOffset now, string why) =>
        new(snapshot.ScriptName, HealthState.Unknown, [new HealthReason(HealthState.Unknown, null, $"the health of {snapshot.ScriptName} cannot be evaluated: {why.TrimEnd('.')}")], [], now)
        {
            Expectation = snapshot.Expectation,
            LastSuccess = snapshot.History?.LastSuccess,
        };

    private static ScriptHealth EvaluateCore(ScriptSnapshot snapshot, DateTimeOffset now, IReadOnlyDictionary<RunQuery, long>? counts)
    {
        var name = snapshot.ScriptName;
        var expectation = snapshot.Expectation;
        var history = snapshot.History;
        var learned = ExpectationLearner.Learn(history);
        var context = new EvaluationContext(name, history, now, counts) { Baseline = snapshot.RuntimeBaseline, RecordedReason = snapshot.RecordedReason };
        EvaluationRules? rules = null;
        ScriptHealth Result(IReadOnlyList<HealthReason> reasons, IReadOnlyList<HostHealth> hosts) =>
            new(name, reasons[0].State, reasons, hosts, now)
            {
                Expectation = expectation,
                Learned = learned,
                LastSuccess = history.LastSuccess,
                CountsNeeded = context.Requests,
                RecheckAt = RecheckRules.Next(snapshot, rules, now),
            };

        if (expectation is not null && expectation.IsPausedAt(now))
        {
            var until = expectation.PausedUntil is { } end ? $"until {Timestamps.Format(end)}" : "until the pause is lifted";
            return Result([new HealthReason(HealthState.Paused, null, $"alerts for {name} are paused {until}") { Facts = new HealthFacts { LastSuccessAt = history.LastSuccess?.StartedAt } }], []);
        }

        if (snapshot.MaintenanceWindows.Count > 0 && MaintenanceReason(name, snapshot.MaintenanceWindows, history.LastSuccess, now) is { } silenced)
        {
            return Result([silenced], []);
        }

        if (history.RecentRuns.Count == 0 && history.InProgress.Count == 0 && history.RecentSkips.Count == 0)
        {
            var expected = expectation?.Schedule is { } s ? $", expected {s.Describe()}" : string.Empty;
            return Result([new HealthReason(HealthState.NeverRan, null, $"no run of {name} has been recorded{expected}")], []);
        }

        rules = EvaluationRules.For(expectation, learned);
        var learning = rules.Schedule is null ? LearningReason(name, history) : null;
        var requirement = expectation?.Hosts ?? HostRequirement.Any;
        if (requirement.Mode == HostMode.Any)
        {
            var reasons = Ordered(EvaluateTarget(null, context, rules));
            if (learning is not null)
            {
                reasons.Add(learning);
            }

            return Result(reasons.Count > 0 ? reasons : [UpReason(null, history.LastSuccess, rules)], []);
        }

        var hosts = requirement.Hosts.Select(host =>
        {
            var reasons = Ordered(EvaluateTarget(host, context, rules));
            var last = LastSuccessOn(host, history);
            return new HostHealth(host, reasons.Count > 0 ? reasons[0].State : HealthState.Up, reasons.Count > 0 ? reasons : [UpReason(host, last, rules)], last);
        }).ToList();
        var combined = Combine(requirement, hosts, history, rules);
        if (learning is not null)
        {
            combined = [.. combined.Where(r => r.State != HealthState.Up), learning];
        }

        return Result(combined, hosts);
    }

    /// <summary>
    /// The reason a window open at <paramref name="now"/> gives: a pause (<see cref="HealthState.Paused"/>) before a
    /// window with an end, and of those the one that closes last, since the script stays silent until then. Null when
    /// no window is open.
    /// </summary>
    private static HealthReason? MaintenanceReason(string name, IReadOnlyList<MaintenanceWindow> windows, HistoryRun? lastSuccess, DateTimeOffset now)
    {
        MaintenanceWindow? pause = null;
        MaintenanceWindow? open = null;
        var closes = DateTimeOffset.MinValue;
        foreach (var window in windows)
        {
            if (Read(window, () => window.IsPause ? window.IsOpenAt(now) : window.ClosesAt(now) > closes))
            {
                if (window.IsPause)
                {
                    pause ??= window;
                }
                else
                {
                    (open, closes) = (window, window.ClosesAt(now)!.Value);
                }
            }
        }

        var facts = new HealthFacts { LastSuccessAt = lastSuccess?.StartedAt };
        if (pause is not null)
        {
            return new HealthReason(HealthState.Paused, null, $"alerts for {name} are paused by maintenance window {pause.Name}{TagOf(pause)} until it is removed")
            {
                Facts = facts with { WindowName = pause.Name },
            };
        }

        return open is null
            ? null
            : new HealthReason(HealthState.Maintenance, null, $"{name} is in maintenance window {open.Name}{TagOf(open)} until {Read(open, () => open.FormatInZone(closes))}")
            {
                Facts = facts with { WindowName = open.Name, WindowEndsAt = closes },
            };
    }

    /// <summary>
    /// Asks a stored window something; one whose zone or expression this machine cannot read (stored before a zone
    /// was removed from its tz database, say) makes the script unknown, naming the window, rather than silently open or closed.
    /// </summary>
    private static T Read<T>(MaintenanceWindow window, Func<T> question)
    {
        try
        {
            return question();
        }
        catch (ValidationException e)
        {
            throw new InvalidOperationException($"its maintenance window {window.Name} cannot be read: {e.Message}", e);
        }
    }

    private static string TagOf(MaintenanceWindow window) => window.Tag is { } tag ? $" of tag {tag}" : string.Empty;

    /// <summary>The first instant after <paramref name="now"/> at which one of the windows opens or closes.</summary>
    private static DateTimeOffset? NextWindowChange(IReadOnlyList<MaintenanceWindow> windows, DateTimeOffset now)
    {
        DateTimeOffset? first = null;
        foreach (var window in windows)
        {
            if (Read(window, () => window.NextChangeAfter(now)) is { } change && (first is null || change < first))
            {
                first = change;
            }
        }

        return first;
    }

    private static HealthReason LearningReason(string name, ScriptHistory history)
    {
        // What the learner reads: the newest runs to the default depth, however deep the history.
        var sample = ExpectationLearner.Sample(history);
        var successes = sample.Count(r => r.Outcome == RunOutcome.Succeeded);
        var needed = ExpectationLearner.MinimumSuccesses;
        var text = history.IsTruncated || history.RecentRuns.Count > sample.Count
            ? $"{successes} of the newest {sample.Count} runs of {name} succeeded; its period and normal runtime are learned once {needed} of them have"
            : $"{CountText.Of(successes, "successful run")} of {name} recorded; its period and normal runtime are learned once there are {needed}";
        return new HealthReason(HealthState.Learning, null, text) { Facts = new HealthFacts { ObservedCount = successes, LimitCount = needed } };
    }

    private static List<HealthReason> Combine(HostRequirement requirement, List<HostHealth> hosts, ScriptHistory history, EvaluationRules rules)
    {
        var onTime = hosts.Count(h => !h.Reasons.Any(r => AvailabilityStates.Contains(r.State)));
        var counted = new HealthFacts { ObservedCount = onTime, LimitCount = requirement.MinimumCount };
        var problems = hosts.SelectMany(h => h.Reasons).Where(r => r.State != HealthState.Up).ToList();
        if (onTime < requirement.MinimumCount)
        {
            var worst = problems.Max(r => r.State);
            var summary = requirement.Mode == HostMode.Each
                ? $"{hosts.Count - onTime} of {hosts.Count} hosts did not run as expected; each of {string.Join(", ", requirement.Hosts)} must"
                : $"only {onTime} of {hosts.Count} hosts ({string.Join(", ", requirement.Hosts)}) ran as expected; at least {requirement.MinimumCount} must";
            return [new HealthReason(worst, null, summary) { Facts = counted }, .. Ordered(problems)];
        }

        // Enough hosts ran: a late host of an "at least k" set is shown on the host, not raised for the script; nor is
        // one that ran too rarely, which is the same host seen over its last few occurrences.
        var raised = problems.Where(r => !AvailabilityStates.Contains(r.State) && r.State != HealthState.TooRare).ToList();
        if (raised.Count > 0 || rules.Schedule is null)
        {
            return Ordered(raised);
        }

        var latest = hosts.Where(h => h.LastSuccess is not null).MaxBy(h => h.LastSuccess!.StartedAt);
        var prefix = requirement.Mode == HostMode.Each
            ? $"ran as expected on each of {hosts.Count} hosts"
            : $"{onTime} of {hosts.Count} hosts ran as expected (at least {requirement.MinimumCount} must)";
        var last = latest?.LastSuccess ?? history.LastSuccess;
        var tail = last is null ? string.Empty : $"; the latest success on {last.Hostname} {StartedAndTook(last)}";
        return [new HealthReason(HealthState.Up, null, prefix + tail + $", expected {rules.DescribeSchedule()}") { Facts = counted with { LastSuccessAt = last?.StartedAt, ObservedDuration = last?.Duration } }];
    }

    private static List<HealthReason> EvaluateTarget(string? host, EvaluationContext context, EvaluationRules rules)
    {
        var history = context.History;
        var inProgress = host is null ? history.InProgress : history.InProgress.Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal)).ToList();
        var target = new EvaluationTarget(
            host,
            host is null ? string.Empty : $" on {host}",
            host is null ? history.RecentRuns : history.RecentRuns.Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal)).ToList(),
            host is null ? history.LastSuccess : LastSuccessOn(host, history),
            StillRunning(inProgress, context.Now, rules));

        // Evaluated for every script on every pass: a list only when a rule applies.
        List<HealthReason>? reasons = null;
        foreach (var reason in new[]
        {
            AvailabilityRules.Availability(target, context, rules),
            FailureRules.Failing(target, context, rules),
            FailureRules.Skipped(target, context, rules),
            RuntimeRules.RunningTooLong(target, context, rules),
            AvailabilityRules.FromTheFuture(target, context),
            RuntimeRules.RuntimeAnomaly(target, rules),
            RuntimeRules.RuntimeDrift(target, context, rules),
            RateRules.Rate(target, context, rules),
        })
        {
            if (reason is not null)
            {
                (reasons ??= []).Add(reason);
            }
        }

        return reasons ?? [];
    }

    /// <summary>The runs in progress that are not yet presumed abandoned; most scripts have none at all.</summary>
    private static IReadOnlyList<HistoryRun> StillRunning(IReadOnlyList<HistoryRun> inProgress, DateTimeOffset now, EvaluationRules rules)
    {
        List<HistoryRun>? running = null;
        for (var i = 0; i < inProgress.Count; i++)
        {
            if (rules.IsPresumedAbandoned(inProgress[i], now))
            {
                running ??= [.. inProgress.Take(i)];
            }
            else
            {
                running?.Add(inProgress[i]);
            }
        }

        return running ?? inProgress;
    }

    private static HistoryRun? LastSuccessOn(string host, ScriptHistory history)
    {
        history.LastSuccessByHost.TryGetValue(host, out var stored);
        var recent = history.RecentRuns.FirstOrDefault(r => r.Outcome == RunOutcome.Succeeded && string.Equals(r.Hostname, host, StringComparison.Ordinal));
        return stored is null || (recent is not null && recent.StartedAt > stored.StartedAt) ? recent : stored;
    }

    /// <summary>When a success started and how long it took; a success whose start is unknown says so rather than "0s".</summary>
    private static string StartedAndTook(HistoryRun run) => run.Duration is { } took
        ? $"started {Timestamps.Format(run.StartedAt)} and took {DurationText.Format(took)}"
        : $"completed {Timestamps.Format(run.CompletedAt ?? run.StartedAt)} (duration unknown)";

    private static HealthReason UpReason(string? host, HistoryRun? lastSuccess, EvaluationRules rules)
    {
        var on = host is null ? string.Empty : $" on {host}";
        var last = lastSuccess is null
            ? $"running{on}"
            : $"last successful run{(host is null ? $" on {lastSuccess.Hostname}" : on)} {StartedAndTook(lastSuccess)}";
        var expected = rules.Schedule is null ? "; its period is not learned yet" : $", expected {rules.DescribeSchedule()}";
        return new HealthReason(HealthState.Up, host, last + expected) { Facts = new HealthFacts { LastSuccessAt = lastSuccess?.StartedAt, ObservedDuration = lastSuccess?.Duration } };
    }

    private static List<HealthReason> Ordered(IEnumerable<HealthReason> reasons) => reasons.OrderByDescending(r => r.State).ToList();
}
