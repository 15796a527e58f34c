using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The one evaluation every surface reads: a pure function of a script's expectation, its recent history and an
/// instant. Nothing here reads a clock or a store, so every rule is a row in a table of tests.
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
    private static readonly TimeSpan StoredResolution = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    /// <summary>The states that say a host did not run as expected, for "each" and "at least k" of a host list.</summary>
    private static readonly HealthState[] AvailabilityStates = [HealthState.Late, HealthState.Missing, HealthState.Skipped, HealthState.Abandoned, HealthState.Failing];

    /// <summary>
    /// Evaluates one script. Whatever its stored data holds, this returns: a script that cannot be evaluated is
    /// <see cref="HealthState.Unknown"/> with the reason, so that one bad script never hides the others.
    /// </summary>
    /// <param name="snapshot">The script's expectation and history.</param>
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
            return EvaluateCore(snapshot, now, counts);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Unevaluable(snapshot, now, e.Message);
        }
    }

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
        var context = new Context(name, history, now, counts);
        ScriptHealth Result(IReadOnlyList<HealthReason> reasons, IReadOnlyList<HostHealth> hosts) =>
            new(name, reasons[0].State, reasons, hosts, now)
            {
                Expectation = expectation,
                Learned = learned,
                LastSuccess = history.LastSuccess,
                CountsNeeded = context.Requests,
            };

        if (expectation is not null && expectation.IsPausedAt(now))
        {
            var until = expectation.PausedUntil is { } end ? $"until {Timestamps.Format(end)}" : "until the pause is lifted";
            return Result([new HealthReason(HealthState.Paused, null, $"alerts for {name} are paused {until}")], []);
        }

        if (history.RecentRuns.Count == 0 && history.InProgress.Count == 0 && history.RecentSkips.Count == 0)
        {
            var expected = expectation?.Schedule is { } s ? $", expected {s.Describe()}" : string.Empty;
            return Result([new HealthReason(HealthState.NeverRan, null, $"no run of {name} has been recorded{expected}")], []);
        }

        var rules = Rules.For(expectation, learned);
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

    /// <summary>How long a run of the script may stay in progress before it is presumed abandoned.</summary>
    internal static TimeSpan AbandonAfter(ScriptSnapshot snapshot) =>
        Rules.For(snapshot.Expectation, ExpectationLearner.Learn(snapshot.History)).AbandonAfter;

    private static HealthReason LearningReason(string name, ScriptHistory history)
    {
        var successes = history.RecentRuns.Count(r => r.Outcome == RunOutcome.Succeeded);
        var needed = ExpectationLearner.MinimumSuccesses;
        var text = history.IsTruncated
            ? $"{successes} of the newest {history.RecentRuns.Count} runs of {name} succeeded; its period and normal runtime are learned once {needed} of them have"
            : $"{CountText.Of(successes, "successful run")} of {name} recorded; its period and normal runtime are learned once there are {needed}";
        return new HealthReason(HealthState.Learning, null, text);
    }

    private static List<HealthReason> Combine(HostRequirement requirement, List<HostHealth> hosts, ScriptHistory history, Rules rules)
    {
        var onTime = hosts.Count(h => !h.Reasons.Any(r => AvailabilityStates.Contains(r.State)));
        var problems = hosts.SelectMany(h => h.Reasons).Where(r => r.State != HealthState.Up).ToList();
        if (onTime < requirement.MinimumCount)
        {
            var worst = problems.Max(r => r.State);
            var summary = requirement.Mode == HostMode.Each
                ? $"{hosts.Count - onTime} of {hosts.Count} hosts did not run as expected; each of {string.Join(", ", requirement.Hosts)} must"
                : $"only {onTime} of {hosts.Count} hosts ({string.Join(", ", requirement.Hosts)}) ran as expected; at least {requirement.MinimumCount} must";
            return [new HealthReason(worst, null, summary), .. Ordered(problems)];
        }

        // Enough hosts ran: a late host of an "at least k" set is shown on the host, not raised for the script.
        var counted = problems.Where(r => !AvailabilityStates.Contains(r.State)).ToList();
        if (counted.Count > 0 || rules.Schedule is null)
        {
            return Ordered(counted);
        }

        var latest = hosts.Where(h => h.LastSuccess is not null).MaxBy(h => h.LastSuccess!.StartedAt);
        var prefix = requirement.Mode == HostMode.Each
            ? $"ran as expected on each of {hosts.Count} hosts"
            : $"{onTime} of {hosts.Count} hosts ran as expected (at least {requirement.MinimumCount} must)";
        var last = latest?.LastSuccess ?? history.LastSuccess;
        var tail = last is null ? string.Empty : $"; the latest success on {last.Hostname} started {Timestamps.Format(last.StartedAt)} and took {DurationText.Format(last.Duration ?? TimeSpan.Zero)}";
        return [new HealthReason(HealthState.Up, null, prefix + tail + $", expected {rules.DescribeSchedule()}")];
    }

    private static List<HealthReason> EvaluateTarget(string? host, Context context, Rules rules)
    {
        var history = context.History;
        var inProgress = host is null ? history.InProgress : history.InProgress.Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal)).ToList();
        var target = new Target(
            host,
            host is null ? string.Empty : $" on {host}",
            host is null ? history.RecentRuns : history.RecentRuns.Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal)).ToList(),
            host is null ? history.LastSuccess : LastSuccessOn(host, history),
            StillRunning(inProgress, context.Now, rules));

        // Evaluated for every script on every pass: a list only when a rule applies.
        List<HealthReason>? reasons = null;
        foreach (var reason in new[]
        {
            Availability(target, context, rules),
            Failing(target, context, rules),
            Skipped(target, context, rules),
            RunningTooLong(target, context, rules),
            FromTheFuture(target, context),
            RuntimeAnomaly(target, rules),
            Rate(target, context, rules),
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
    private static IReadOnlyList<HistoryRun> StillRunning(IReadOnlyList<HistoryRun> inProgress, DateTimeOffset now, Rules rules)
    {
        List<HistoryRun>? running = null;
        for (var i = 0; i < inProgress.Count; i++)
        {
            if (IsPresumedAbandoned(inProgress[i], now, rules))
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

    /// <summary>Whether a run started so far after <paramref name="now"/> that some clock must be wrong.</summary>
    private static bool IsFromTheFuture(HistoryRun run, DateTimeOffset now) => run.StartedAt > now + FutureTolerance;

    private static HistoryRun? NewestFromTheFuture(IReadOnlyList<HistoryRun> runs, DateTimeOffset now)
    {
        HistoryRun? newest = null;
        foreach (var run in runs)
        {
            if (IsFromTheFuture(run, now) && (newest is null || run.StartedAt > newest.StartedAt))
            {
                newest = run;
            }
        }

        return newest;
    }

    /// <summary>The newest success among <paramref name="newestFirst"/> that is not from the future.</summary>
    private static HistoryRun? NewestSuccessBefore(IReadOnlyList<HistoryRun> newestFirst, DateTimeOffset now)
    {
        foreach (var run in newestFirst)
        {
            if (run.Outcome == RunOutcome.Succeeded && !IsFromTheFuture(run, now))
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>
    /// The newest run that started after the instant of the evaluation, beyond what clocks may disagree by. Such a run
    /// would make a stopped job look on time for as long as the writer's clock is ahead; it is reported instead.
    /// </summary>
    private static HealthReason? FromTheFuture(Target target, Context context)
    {
        var future = NewestFromTheFuture(target.Recent, context.Now);
        if (NewestFromTheFuture(target.InProgress, context.Now) is { } running && (future is null || running.StartedAt > future.StartedAt))
        {
            future = running;
        }

        if (future is null)
        {
            return null;
        }

        var ahead = DurationText.Format(future.StartedAt - context.Now);
        return new HealthReason(
            HealthState.FutureRun,
            target.Host,
            $"a run{target.On} started {Timestamps.Format(future.StartedAt)}, {ahead} after the time of this evaluation ({Timestamps.Format(context.Now)}): the clock of {future.Hostname} or of the evaluating host is wrong; runs from the future do not count as on time");
    }

    /// <summary>
    /// Late or missing. A run still in progress that started on time is not late: whether it takes too long is the
    /// running-too-long rule's question. Runs from the future are left out: they prove nothing about now.
    /// </summary>
    private static HealthReason? Availability(Target target, Context context, Rules rules)
    {
        if (rules.Schedule is null)
        {
            return null;
        }

        var now = context.Now;
        var on = target.On;
        var host = target.Host;
        var lastSuccess = target.LastSuccess is { } success && IsFromTheFuture(success, now)
            ? NewestSuccessBefore(target.Recent, now)
            : target.LastSuccess;
        DateTimeOffset? runningSince = null;
        foreach (var run in target.InProgress)
        {
            if (!IsFromTheFuture(run, now))
            {
                runningSince = Latest(runningSince, run.StartedAt);
            }
        }

        var lastStart = Latest(lastSuccess?.StartedAt, runningSince);
        if (rules.Schedule is PeriodSchedule { Period: var every } && lastStart is { } recent && now <= recent + every + rules.Grace)
        {
            // On time: the common case, decided before any text is made.
            return null;
        }

        // Only for a reason's text: most scripts are on time and need none.
        string Grace() => DurationText.Format(rules.Grace);
        string None() => NewestFromTheFuture(target.Recent, now) is not null ? $"no successful run{on} that started before now has been recorded" : $"no successful run{on} has been recorded";
        switch (rules.Schedule)
        {
            case PeriodSchedule { Period: var period }:
                if (lastStart is { } started && now <= started + period + rules.Grace)
                {
                    return null;
                }

                if (lastSuccess is null)
                {
                    return new HealthReason(HealthState.Missing, host, $"{None()}, expected {rules.DescribeSchedule()} with {Grace()} grace");
                }

                var missed = (int)Math.Min(int.MaxValue, (now - lastStart!.Value).Ticks / period.Ticks);
                return new HealthReason(
                    missed >= MissedForMissing ? HealthState.Missing : HealthState.Late,
                    host,
                    $"no successful run{on} since {Timestamps.Format(lastSuccess.StartedAt)}, expected {rules.DescribeSchedule()} with {Grace()} grace{Missed(missed)}");

            case CronSchedule cron:
                if (cron.Previous(now - rules.Grace) is not { } due)
                {
                    return null;
                }

                if (lastStart is { } startedAt && startedAt >= due - EarlyStartTolerance)
                {
                    return null;
                }

                if (lastSuccess is null)
                {
                    return new HealthReason(HealthState.Missing, host, $"{None()}, expected {cron.Describe()} with {Grace()} grace; the latest was due at {Timestamps.Format(due)}");
                }

                var count = cron.CountBetween(lastStart!.Value + EarlyStartTolerance, now - rules.Grace, MissedForMissing);
                return new HealthReason(
                    count >= MissedForMissing ? HealthState.Missing : HealthState.Late,
                    host,
                    $"no successful run{on} for the run due at {Timestamps.Format(due)}, expected {cron.Describe()} with {Grace()} grace; the last success started {Timestamps.Format(lastSuccess.StartedAt)}{Missed(count)}");

            default:
                return null;
        }
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Missed(int count) => count switch
    {
        < 2 => string.Empty,
        >= MissedForMissing => $"; {MissedForMissing} or more runs missed",
        _ => $"; {count} runs missed",
    };

    /// <summary>
    /// Failed or abandoned runs in a row, from the first run on: a script that has always failed is failing whether or
    /// not its schedule is known yet, and a run whose process died is a failure nobody saw end. A run still in
    /// progress past the abandonment bound counts as abandoned. When every recent run is in the streak and older ones
    /// exist, the store counts the whole streak.
    /// </summary>
    private static HealthReason? Failing(Target target, Context context, Rules rules)
    {
        HistoryRun? latest = null;
        var latestOutcome = RunOutcome.Failed;
        var failures = 0;
        var abandoned = 0;
        var completed = 0;
        foreach (var run in target.Recent)
        {
            var outcome = run.Outcome == RunOutcome.Running && IsPresumedAbandoned(run, context.Now, rules) ? RunOutcome.Abandoned : run.Outcome;
            if (outcome == RunOutcome.Running)
            {
                continue;
            }

            completed++;
            if (outcome is not (RunOutcome.Failed or RunOutcome.Abandoned))
            {
                break;
            }

            if (latest is null)
            {
                latest = run;
                latestOutcome = outcome;
            }

            failures++;
            abandoned += outcome == RunOutcome.Abandoned ? 1 : 0;
        }

        if (failures <= rules.FailuresTolerated || latest is null)
        {
            return null;
        }

        var count = failures.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (failures == completed && context.History.IsTruncated)
        {
            // Every run the history holds is in the streak, and it holds only the newest: the streak may go back further.
            var since = target.LastSuccess is { } success ? success.StartedAt + StoredResolution : (DateTimeOffset?)null;
            count = context.Count(
                [
                    new RunQuery(context.ScriptName) { Hostname = target.Host, Since = since, Outcome = RunOutcome.Failed },
                    new RunQuery(context.ScriptName) { Hostname = target.Host, Since = since, Outcome = RunOutcome.Abandoned },
                ],
                failures);
        }

        var what = abandoned == 0 ? "failed" : abandoned == failures ? "were abandoned" : "failed or were abandoned";
        var tolerated = $"{CountText.Of(rules.FailuresTolerated, "consecutive failure")} {(rules.FailuresTolerated == 1 ? "is" : "are")} tolerated";
        var started = Timestamps.Format(latest.StartedAt);
        if (latestOutcome == RunOutcome.Abandoned)
        {
            var why = latest.Outcome == RunOutcome.Running
                ? $"it has been running for {DurationText.Format(context.Now - latest.StartedAt)}, past the {DurationText.Format(rules.AbandonAfter)} after which a run whose process cannot be checked is presumed abandoned"
                : $"it never completed (its process ended without recording an end, or it outlived {DurationText.Format(rules.AbandonAfter)})";
            var runs = count == "1" ? $"the last run{target.On} (started {started}) was abandoned" : $"the last {count} runs{target.On} {what}, the latest (started {started}) abandoned";
            return new HealthReason(HealthState.Abandoned, target.Host, $"{runs}: {why}; {tolerated}");
        }

        var exit = latest.ExitCode is { } code ? $" with exit code {code}" : string.Empty;
        var failed = count == "1" ? $"the last run{target.On} failed" : $"the last {count} runs{target.On} {what}";
        return new HealthReason(HealthState.Failing, target.Host, $"{failed}, the latest started {started}{exit}; {tolerated}");
    }

    /// <summary>
    /// Whether a run still in progress has outlived the bound after which it is presumed abandoned: its process can
    /// only be checked on its own host, and one that died there without a scriptmon to notice must not hold the
    /// script in "running too long" for good.
    /// </summary>
    private static bool IsPresumedAbandoned(HistoryRun run, DateTimeOffset now, Rules rules) =>
        run.Outcome == RunOutcome.Running && now - run.StartedAt > rules.AbandonAfter;

    /// <summary>
    /// Runs skipped in a row on one host because another run still held the lock: the skips since that host's latest
    /// run activity, the start of a run or the end of one. A holder that ended after the skips was slow, not stuck, and
    /// the streak is over. As many as the expectation allows before alerting make the script skipped, naming the holder.
    /// </summary>
    private static HealthReason? Skipped(Target target, Context context, Rules rules)
    {
        var skips = context.History.RecentSkips;
        if (skips.Count < rules.SkipsBeforeAlert)
        {
            return null;
        }

        (string Host, int Count, ScriptSkip Newest, ScriptSkip Oldest)? worst = null;
        foreach (var host in skips.Select(s => s.Hostname).Distinct(StringComparer.Ordinal))
        {
            if (target.Host is not null && !string.Equals(host, target.Host, StringComparison.Ordinal))
            {
                continue;
            }

            var lastActivity = context.History.RecentRuns.Concat(context.History.InProgress)
                .Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal))
                .Select(r => (DateTimeOffset?)(r.CompletedAt ?? r.StartedAt))
                .Max();
            var streak = skips.Where(s => string.Equals(s.Hostname, host, StringComparison.Ordinal)).TakeWhile(s => lastActivity is not { } latest || s.SkippedAt > latest).ToList();
            if (streak.Count >= rules.SkipsBeforeAlert && (worst is null || streak.Count > worst.Value.Count))
            {
                worst = (host, streak.Count, streak[0], streak[^1]);
            }
        }

        if (worst is not { } found)
        {
            return null;
        }

        // The history holds the newest skips only: when all of them are in the streak, it may be longer.
        var count = found.Count == skips.Count && skips.Count >= ScriptHistory.Depth ? $"at least {found.Count}" : found.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new HealthReason(
            HealthState.Skipped,
            target.Host,
            $"the last {count} runs on {found.Host} were skipped, the first at {Timestamps.Format(found.Oldest.SkippedAt)}, because another run held the lock: {found.Newest.Holder}; {CountText.Of(rules.SkipsBeforeAlert, "skip")} in a row make an alert");
    }

    private static HealthReason? RunningTooLong(Target target, Context context, Rules rules)
    {
        if (rules.MaxRuntime is not { } limit || target.InProgress.Count == 0)
        {
            return null;
        }

        var oldest = target.InProgress.MinBy(r => r.StartedAt)!;
        var age = context.Now - oldest.StartedAt;
        return age > limit
            ? new HealthReason(HealthState.RunningTooLong, target.Host, $"a run{target.On} started {Timestamps.Format(oldest.StartedAt)} has been running for {DurationText.Format(age)}, longer than the {rules.MaxLabel} {DurationText.Format(limit)}")
            : null;
    }

    private static HealthReason? RuntimeAnomaly(Target target, Rules rules)
    {
        if (target.Recent.FirstOrDefault(r => r.Outcome == RunOutcome.Succeeded) is not { Duration: { } took } last)
        {
            return null;
        }

        var on = target.On;
        var started = Timestamps.Format(last.StartedAt);
        if (rules.MaxRuntime is { } max && took > max)
        {
            return new HealthReason(HealthState.RuntimeTooLong, target.Host, $"the last successful run{on} (started {started}) took {DurationText.Format(took)}, longer than the {rules.MaxLabel} {DurationText.Format(max)}");
        }

        if (rules.MinRuntime is { } min && took < min)
        {
            return new HealthReason(HealthState.RuntimeTooShort, target.Host, $"the last successful run{on} (started {started}) took {DurationText.Format(took)}, shorter than the {rules.MinLabel} {DurationText.Format(min)}");
        }

        return null;
    }

    private static HealthReason? Rate(Target target, Context context, Rules rules)
    {
        var now = context.Now;
        if (RateWindow(rules, now) is not { } window || window.Expected == 0)
        {
            return null;
        }

        // Runs per host in the window; a script runs on few hosts, so a short list beats a dictionary.
        var recent = target.Recent;
        var perHost = new List<(string Host, int Count)>(1);
        var inWindow = 0;
        foreach (var run in recent)
        {
            if (run.StartedAt < window.Start || run.StartedAt > now)
            {
                continue;
            }

            inWindow++;
            var index = perHost.FindIndex(h => string.Equals(h.Host, run.Hostname, StringComparison.Ordinal));
            if (index < 0)
            {
                perHost.Add((run.Hostname, 1));
            }
            else
            {
                perHost[index] = (run.Hostname, perHost[index].Count + 1);
            }
        }

        // The recent runs reach back past the window's start only if the oldest of them is older than it.
        var reachesBack = recent.Count > 0 && recent[^1].StartedAt <= window.Start;
        string Between() => $"between {Timestamps.Format(window.Start)} and {Timestamps.Format(now)}";
        if (perHost.Count > 0 && perHost.MaxBy(h => h.Count) is var busiest && busiest.Count > window.Expected * TooOftenRatio)
        {
            var count = busiest.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!reachesBack && context.History.IsTruncated)
            {
                // The history holds only the newest runs, and all of them are in the window: ask for the true count.
                count = context.Count(new RunQuery(context.ScriptName) { Hostname = busiest.Host, Since = window.Start, Until = now + StoredResolution }, busiest.Count);
            }

            return new HealthReason(
                HealthState.TooOften,
                target.Host ?? busiest.Host,
                $"{count} runs on {busiest.Host} started {Between()}, but {rules.DescribeSchedule()} means {window.Expected}");
        }

        // Too rare needs a history that reaches back past the window: a new script, or one whose recent runs are
        // crowded out by other hosts, has not had the chance to run enough.
        if (reachesBack && inWindow < window.Expected * TooRareRatio)
        {
            return new HealthReason(
                HealthState.TooRare,
                target.Host,
                $"{CountText.Of(inWindow, "run")}{target.On} started {Between()}, but {rules.DescribeSchedule()} means {window.Expected}");
        }

        return null;
    }

    private static (DateTimeOffset Start, int Expected)? RateWindow(Rules rules, DateTimeOffset now)
    {
        switch (rules.Schedule)
        {
            case PeriodSchedule { Period: var period }:
                return (now - (period * RateWindowOccurrences), RateWindowOccurrences);
            case CronSchedule cron:
                var found = 0;
                DateTimeOffset? start = null;
                var cursor = now - rules.Grace;
                while (found < RateWindowOccurrences && cron.Previous(cursor) is { } occurrence)
                {
                    found++;
                    start = occurrence;
                    cursor = occurrence - TimeSpan.FromTicks(1);
                }

                return start is { } first ? (first - EarlyStartTolerance, found) : null;
            default:
                return null;
        }
    }

    private static HistoryRun? LastSuccessOn(string host, ScriptHistory history)
    {
        history.LastSuccessByHost.TryGetValue(host, out var stored);
        var recent = history.RecentRuns.FirstOrDefault(r => r.Outcome == RunOutcome.Succeeded && string.Equals(r.Hostname, host, StringComparison.Ordinal));
        return stored is null || (recent is not null && recent.StartedAt > stored.StartedAt) ? recent : stored;
    }

    private static HealthReason UpReason(string? host, HistoryRun? lastSuccess, Rules rules)
    {
        var on = host is null ? string.Empty : $" on {host}";
        var last = lastSuccess is null
            ? $"running{on}"
            : $"last successful run{(host is null ? $" on {lastSuccess.Hostname}" : on)} started {Timestamps.Format(lastSuccess.StartedAt)} and took {DurationText.Format(lastSuccess.Duration ?? TimeSpan.Zero)}";
        var expected = rules.Schedule is null ? "; its period is not learned yet" : $", expected {rules.DescribeSchedule()}";
        return new HealthReason(HealthState.Up, host, last + expected);
    }

    private static List<HealthReason> Ordered(IEnumerable<HealthReason> reasons) => reasons.OrderByDescending(r => r.State).ToList();

    /// <summary>The runs one evaluation target (the script on any host, or one listed host) is judged by.</summary>
    private sealed record Target(string? Host, string On, IReadOnlyList<HistoryRun> Recent, HistoryRun? LastSuccess, IReadOnlyList<HistoryRun> InProgress);

    /// <summary>What every rule of one evaluation shares: the instant, the history, and the exact counts asked for.</summary>
    private sealed class Context(string scriptName, ScriptHistory history, DateTimeOffset now, IReadOnlyDictionary<RunQuery, long>? counts)
    {
        private readonly List<RunQuery> _requests = [];

        internal string ScriptName { get; } = scriptName;

        internal ScriptHistory History { get; } = history;

        internal DateTimeOffset Now { get; } = now;

        internal IReadOnlyList<RunQuery> Requests => _requests;

        /// <summary>The store's exact count when it was given, else "at least" what the recent runs show (and a request for it).</summary>
        internal string Count(RunQuery query, long atLeast) => Count([query], atLeast);

        /// <summary>The sum of the store's exact counts of <paramref name="queries"/>, else "at least" (and a request for each).</summary>
        internal string Count(IReadOnlyList<RunQuery> queries, long atLeast)
        {
            long exact = 0;
            var known = counts is not null;
            foreach (var query in queries)
            {
                if (known && counts!.TryGetValue(query, out var count))
                {
                    exact += count;
                }
                else
                {
                    known = false;
                }
            }

            if (known && exact >= atLeast)
            {
                return exact.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            _requests.AddRange(queries);
            return "at least " + atLeast.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The limits in force: the expectation's where it sets them, the learned ones where it does not.</summary>
    private sealed record Rules(
        Schedule? Schedule,
        bool ScheduleLearned,
        TimeSpan Grace,
        TimeSpan? MinRuntime,
        TimeSpan? MaxRuntime,
        bool RuntimeLearned,
        int FailuresTolerated,
        TimeSpan AbandonAfter,
        int SkipsBeforeAlert)
    {
        internal string MaxLabel => RuntimeLearned ? "learned normal maximum" : "maximum";

        internal string MinLabel => RuntimeLearned ? "learned normal minimum" : "minimum";

        /// <summary>The rules of a script; without a schedule set or learned, only the rules that need none apply.</summary>
        internal static Rules For(ScriptExpectation? expectation, LearnedExpectation? learned)
        {
            var scheduleLearned = expectation?.Schedule is null;
            var schedule = expectation?.Schedule ?? (learned is null ? null : Schedule.Every(learned.Period));
            var grace = !scheduleLearned
                ? expectation!.Grace
                : learned is null ? expectation?.Grace ?? ScriptExpectation.DefaultGrace
                : expectation is null ? learned.Grace : Max(expectation.Grace, learned.Grace);
            var explicitRuntime = expectation?.MinRuntime is not null || expectation?.MaxRuntime is not null;
            var maxRuntime = explicitRuntime ? expectation!.MaxRuntime : learned?.RuntimeHigh;
            return new Rules(
                schedule,
                scheduleLearned,
                grace,
                explicitRuntime ? expectation!.MinRuntime : learned?.RuntimeLow,
                maxRuntime,
                !explicitRuntime && learned is not null,
                expectation?.FailuresTolerated ?? 0,
                expectation?.AbandonAfter ?? DefaultBound(maxRuntime),
                expectation?.SkipsBeforeAlert ?? ScriptExpectation.DefaultSkipsBeforeAlert);
        }

        /// <summary>The longer of a day and ten times the maximum runtime, within what an expectation may set.</summary>
        private static TimeSpan DefaultBound(TimeSpan? maxRuntime)
        {
            var scaled = maxRuntime is { } max ? TimeSpan.FromTicks((long)Math.Min(max.Ticks * (double)AbandonAfterRuntimes, ExpectationValidation.MaxAbandonAfter.Ticks)) : TimeSpan.Zero;
            return Max(DefaultAbandonAfter, scaled);
        }

        internal string DescribeSchedule() => Schedule switch
        {
            null => "a period not learned yet",
            PeriodSchedule { Period: var p } when ScheduleLearned => $"about every {DurationText.Format(p)} (learned)",
            _ => Schedule.Describe(),
        };

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
