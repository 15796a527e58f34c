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

    /// <summary>The rate rules count runs over the last this many scheduled occurrences: short enough to see a change within a day of an hourly job.</summary>
    internal const int RateWindowOccurrences = 6;

    /// <summary>Fewer than this fraction of the expected runs in the window is "too rare": half, so one delayed run is not.</summary>
    internal const double TooRareRatio = 0.5;

    /// <summary>More than this multiple of the expected runs in the window is "too often": double, so a manual rerun is not.</summary>
    internal const double TooOftenRatio = 2.0;

    private static readonly HealthState[] AvailabilityStates = [HealthState.Late, HealthState.Missing, HealthState.Failing];

    internal static ScriptHealth Evaluate(ScriptSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var name = snapshot.ScriptName;
        var expectation = snapshot.Expectation;
        var history = snapshot.History;
        var learned = ExpectationLearner.Learn(history);
        ScriptHealth Result(IReadOnlyList<HealthReason> reasons, IReadOnlyList<HostHealth> hosts) =>
            new(name, reasons[0].State, reasons, hosts, now) { Expectation = expectation, Learned = learned, LastSuccess = history.LastSuccess };

        if (expectation is not null && expectation.IsPausedAt(now))
        {
            var until = expectation.PausedUntil is { } end ? $"until {Timestamps.Format(end)}" : "until the pause is lifted";
            return Result([new HealthReason(HealthState.Paused, null, $"alerts for {name} are paused {until}")], []);
        }

        if (history.RecentRuns.Count == 0 && history.InProgress.Count == 0)
        {
            var expected = expectation?.Schedule is { } s ? $", expected {s.Describe()}" : string.Empty;
            return Result([new HealthReason(HealthState.NeverRan, null, $"no run of {name} has been recorded{expected}")], []);
        }

        if (Rules.For(expectation, learned) is not { } rules)
        {
            var successes = history.RecentRuns.Count(r => r.Outcome == RunOutcome.Succeeded);
            return Result([new HealthReason(HealthState.Learning, null, $"{successes} successful runs of {name} recorded; its period and normal runtime are learned once there are {ExpectationLearner.MinimumSuccesses}")], []);
        }

        var requirement = expectation?.Hosts ?? HostRequirement.Any;
        if (requirement.Mode == HostMode.Any)
        {
            var reasons = EvaluateTarget(null, history, rules, now);
            return Result(reasons.Count > 0 ? Ordered(reasons) : [UpReason(null, history.LastSuccess, rules)], []);
        }

        var hosts = requirement.Hosts.Select(host =>
        {
            var reasons = Ordered(EvaluateTarget(host, history, rules, now));
            var last = LastSuccessOn(host, history);
            return new HostHealth(host, reasons.Count > 0 ? reasons[0].State : HealthState.Up, reasons.Count > 0 ? reasons : [UpReason(host, last, rules)], last);
        }).ToList();
        return Result(Combine(requirement, hosts, history, rules), hosts);
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
        if (counted.Count > 0)
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

    private static List<HealthReason> EvaluateTarget(string? host, ScriptHistory history, Rules rules, DateTimeOffset now)
    {
        var on = host is null ? string.Empty : $" on {host}";
        var recent = host is null ? history.RecentRuns : history.RecentRuns.Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal)).ToList();
        var lastSuccess = host is null ? history.LastSuccess : LastSuccessOn(host, history);
        var inProgress = host is null ? history.InProgress : history.InProgress.Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal)).ToList();
        var reasons = new List<HealthReason>();
        if (Availability(host, on, lastSuccess, inProgress.Count > 0 ? inProgress.Max(r => r.StartedAt) : null, rules, now) is { } late)
        {
            reasons.Add(late);
        }

        if (Failing(host, on, recent, rules) is { } failing)
        {
            reasons.Add(failing);
        }

        if (RunningTooLong(host, on, inProgress, rules, now) is { } running)
        {
            reasons.Add(running);
        }

        if (RuntimeAnomaly(host, on, recent, rules) is { } anomaly)
        {
            reasons.Add(anomaly);
        }

        reasons.AddRange(Rate(host, on, recent, rules, now));
        return reasons;
    }

    /// <summary>
    /// Late or missing. A run still in progress that started on time is not late: whether it takes too long is the
    /// running-too-long rule's question.
    /// </summary>
    private static HealthReason? Availability(string? host, string on, HistoryRun? lastSuccess, DateTimeOffset? runningSince, Rules rules, DateTimeOffset now)
    {
        var grace = DurationText.Format(rules.Grace);
        var lastStart = Latest(lastSuccess?.StartedAt, runningSince);
        switch (rules.Schedule)
        {
            case PeriodSchedule { Period: var period }:
                if (lastStart is { } started && now <= started + period + rules.Grace)
                {
                    return null;
                }

                if (lastSuccess is null)
                {
                    return new HealthReason(HealthState.Missing, host, $"no successful run{on} has been recorded, expected {rules.DescribeSchedule()} with {grace} grace");
                }

                var missed = (int)Math.Min(int.MaxValue, (now - lastStart!.Value).Ticks / period.Ticks);
                return new HealthReason(
                    missed >= MissedForMissing ? HealthState.Missing : HealthState.Late,
                    host,
                    $"no successful run{on} since {Timestamps.Format(lastSuccess.StartedAt)}, expected {rules.DescribeSchedule()} with {grace} grace{Missed(missed)}");

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
                    return new HealthReason(HealthState.Missing, host, $"no successful run{on} has been recorded, expected {cron.Describe()} with {grace} grace; the latest was due at {Timestamps.Format(due)}");
                }

                var count = cron.CountBetween(lastStart!.Value + EarlyStartTolerance, now - rules.Grace, MissedForMissing);
                return new HealthReason(
                    count >= MissedForMissing ? HealthState.Missing : HealthState.Late,
                    host,
                    $"no successful run{on} for the run due at {Timestamps.Format(due)}, expected {cron.Describe()} with {grace} grace; the last success started {Timestamps.Format(lastSuccess.StartedAt)}{Missed(count)}");

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

    private static HealthReason? Failing(string? host, string on, IReadOnlyList<HistoryRun> recent, Rules rules)
    {
        HistoryRun? latest = null;
        var failures = 0;
        var completed = 0;
        var streak = true;
        foreach (var run in recent)
        {
            if (run.Outcome == RunOutcome.Running)
            {
                continue;
            }

            completed++;
            latest ??= run;
            streak &= run.Outcome == RunOutcome.Failed;
            failures += streak ? 1 : 0;
            if (!streak)
            {
                break;
            }
        }

        if (failures <= rules.FailuresTolerated || latest is null)
        {
            return null;
        }

        var atLeast = failures == completed && completed >= ScriptHistory.Depth / 2 ? "at least " : string.Empty;
        var exit = latest.ExitCode is { } code ? $" with exit code {code}" : string.Empty;
        var runs = failures == 1 ? "the last run" : $"the last {atLeast}{failures} runs";
        return new HealthReason(
            HealthState.Failing,
            host,
            $"{runs}{on} failed, the latest started {Timestamps.Format(latest.StartedAt)}{exit}; {rules.FailuresTolerated} consecutive failures are tolerated");
    }

    private static HealthReason? RunningTooLong(string? host, string on, IReadOnlyList<HistoryRun> inProgress, Rules rules, DateTimeOffset now)
    {
        if (rules.MaxRuntime is not { } limit || inProgress.Count == 0)
        {
            return null;
        }

        var oldest = inProgress.MinBy(r => r.StartedAt)!;
        var age = now - oldest.StartedAt;
        return age > limit
            ? new HealthReason(HealthState.RunningTooLong, host, $"a run{on} started {Timestamps.Format(oldest.StartedAt)} has been running for {DurationText.Format(age)}, longer than the {rules.MaxLabel} {DurationText.Format(limit)}")
            : null;
    }

    private static HealthReason? RuntimeAnomaly(string? host, string on, IReadOnlyList<HistoryRun> recent, Rules rules)
    {
        if (recent.FirstOrDefault(r => r.Outcome == RunOutcome.Succeeded) is not { Duration: { } took } last)
        {
            return null;
        }

        var started = Timestamps.Format(last.StartedAt);
        if (rules.MaxRuntime is { } max && took > max)
        {
            return new HealthReason(HealthState.RuntimeTooLong, host, $"the last successful run{on} (started {started}) took {DurationText.Format(took)}, longer than the {rules.MaxLabel} {DurationText.Format(max)}");
        }

        if (rules.MinRuntime is { } min && took < min)
        {
            return new HealthReason(HealthState.RuntimeTooShort, host, $"the last successful run{on} (started {started}) took {DurationText.Format(took)}, shorter than the {rules.MinLabel} {DurationText.Format(min)}");
        }

        return null;
    }

    private static IEnumerable<HealthReason> Rate(string? host, string on, IReadOnlyList<HistoryRun> recent, Rules rules, DateTimeOffset now)
    {
        if (RateWindow(rules, now) is not { } window || window.Expected == 0)
        {
            yield break;
        }

        // Runs per host in the window; a script runs on few hosts, so a short list beats a dictionary.
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

        string Between() => $"between {Timestamps.Format(window.Start)} and {Timestamps.Format(now)}";
        if (perHost.Count > 0 && perHost.MaxBy(h => h.Count) is var busiest && busiest.Count > window.Expected * TooOftenRatio)
        {
            yield return new HealthReason(
                HealthState.TooOften,
                host ?? busiest.Host,
                $"{busiest.Count} runs on {busiest.Host} started {Between()}, but {rules.DescribeSchedule()} means {window.Expected}");
            yield break;
        }

        // Too rare needs a history that reaches back past the window: a new script, or one whose recent runs are
        // crowded out by other hosts, has not had the chance to run enough.
        var reachesBack = recent.Count > 0 && recent[^1].StartedAt <= window.Start;
        if (reachesBack && inWindow < window.Expected * TooRareRatio)
        {
            yield return new HealthReason(
                HealthState.TooRare,
                host,
                $"{inWindow} runs{on} started {Between()}, but {rules.DescribeSchedule()} means {window.Expected}");
        }
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
        return new HealthReason(HealthState.Up, host, $"{last}, expected {rules.DescribeSchedule()}");
    }

    private static List<HealthReason> Ordered(IEnumerable<HealthReason> reasons) => reasons.OrderByDescending(r => r.State).ToList();

    /// <summary>The limits in force: the expectation's where it sets them, the learned ones where it does not.</summary>
    private sealed record Rules(Schedule Schedule, bool ScheduleLearned, TimeSpan Grace, TimeSpan? MinRuntime, TimeSpan? MaxRuntime, bool RuntimeLearned, int FailuresTolerated)
    {
        internal string MaxLabel => RuntimeLearned ? "learned normal maximum" : "maximum";

        internal string MinLabel => RuntimeLearned ? "learned normal minimum" : "minimum";

        internal static Rules? For(ScriptExpectation? expectation, LearnedExpectation? learned)
        {
            if (expectation?.Schedule is null && learned is null)
            {
                return null;
            }

            var scheduleLearned = expectation?.Schedule is null;
            var schedule = expectation?.Schedule ?? Schedule.Every(learned!.Period);
            var grace = scheduleLearned ? (expectation is null ? learned!.Grace : Max(expectation.Grace, learned!.Grace)) : expectation!.Grace;
            var explicitRuntime = expectation?.MinRuntime is not null || expectation?.MaxRuntime is not null;
            return new Rules(
                schedule,
                scheduleLearned,
                grace,
                explicitRuntime ? expectation!.MinRuntime : learned?.RuntimeLow,
                explicitRuntime ? expectation!.MaxRuntime : learned?.RuntimeHigh,
                !explicitRuntime && learned is not null,
                expectation?.FailuresTolerated ?? 0);
        }

        internal string DescribeSchedule() => ScheduleLearned && Schedule is PeriodSchedule { Period: var p }
            ? $"about every {DurationText.Format(p)} (learned)"
            : Schedule.Describe();

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
