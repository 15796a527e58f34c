using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Simulation;

/// <summary>
/// Drives the real store (SQLite, or PostgreSQL) and the real alert loop (<see cref="AlertEngine"/>, with the evaluation it runs)
/// through simulated time: runs start and complete on their hosts and arrive in batches, and the loop ticks at every
/// arrival and at every instant it has a script due (the instants its state can change), rounded up to the evaluation
/// tick, as a server's loop would.
/// </summary>
internal sealed class Simulator(SimulationOptions options, IReadOnlyList<ScriptSpec> scripts, IReadOnlyList<Incident> incidents, int shard)
{
    /// <summary>Runs are generated this long before their nominal instant, ahead of the earliest jitter.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Jitter = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan HostSkew = TimeSpan.FromSeconds(5);

    private readonly PriorityQueue<SimEvent, (long, long)> _events = new();
    private readonly List<Alert> _alerts = [];
    private readonly List<SimNotification> _notifications = [];

    /// <summary>The two channels every script is routed to.</summary>
    internal static readonly string[] Channels = ["ops-webhook", "team-slack"];

    /// <summary>The alert loop is ticked at least this often, so that its lease (three ticks of a minute) never lapses.</summary>
    private static readonly TimeSpan EngineBeat = TimeSpan.FromMinutes(2);
    private long _sequence;
    private int _segment;
    private long _runs;
    private Random _random = new(0);
    private Dictionary<string, TimeSpan> _skew = [];

    private enum EventKind
    {
        Generate,
        Start,
        Complete,
        Kill,
        Expectation,
    }

    internal IReadOnlyList<Alert> Alerts => _alerts;

    internal IReadOnlyList<SimNotification> Notifications => _notifications;

    internal TimeSpan AlertLoopTime { get; private set; }

    internal long Runs => _runs;

    internal TimeSpan ImportTime { get; private set; }

    internal TimeSpan PruneTime { get; private set; }

    internal long Ticks { get; private set; }

    internal async Task RunAsync(Segment segment, int segmentIndex, string directory, Action<DateTimeOffset>? progress, CancellationToken cancellationToken)
    {
        // Not HashCode.Combine: it is seeded afresh in every process, and one seed must give one simulation.
        _random = new Random((int)((((long)options.Seed * 1_000_003) + (segmentIndex * 7919) + shard) & int.MaxValue));
        _events.Clear();
        _segment = segmentIndex;
        var skewRandom = new Random(options.Seed);
        _skew = scripts.SelectMany(s => s.Hosts).Distinct().Order(StringComparer.Ordinal)
            .ToDictionary(h => h, _ => TimeSpan.FromTicks((long)(((skewRandom.NextDouble() * 2) - 1) * HostSkew.Ticks)));
        var clock = new FakeTimeProvider(segment.WarmUpFrom);
        await using var fresh = await SimulationStore.CreateAsync(options, directory, segmentIndex, shard, clock, cancellationToken);
        var store = fresh.Store;
        var states = new List<ScriptState>(scripts.Count);
        foreach (var spec in scripts)
        {
            var state = new ScriptState(spec, incidents.FirstOrDefault(i => i.Script == spec && i.Segment == segmentIndex));
            states.Add(state);
            if (state.Incident is { Window: { } window } maintenance)
            {
                // A window for a tag: the script carries the tag from the start, as a user would have tagged it.
                if (window.Tag is { } tag && spec.Expectation is { } tagged && !tagged.Tags.Contains(tag))
                {
                    spec.Expectation = tagged with { Tags = [.. tagged.Tags, tag] };
                }

                await store.SaveMaintenanceWindowAsync(window, replace: true, cancellationToken);
            }

            if (spec.Expectation is { } expectation)
            {
                await store.SetExpectationAsync(expectation, cancellationToken);
            }

            for (var h = 0; h < spec.Hosts.Length; h++)
            {
                // From the occurrence before the warm-up, so that every host of a group has run once before it: a
                // fresh store whose first run lands on one host seconds before the others is a different test.
                var first = spec.Schedule is { } cron ? cron.Previous(segment.WarmUpFrom) ?? Next(spec, segment.WarmUpFrom) : Next(spec, segment.WarmUpFrom - spec.NominalPeriod);
                Push(first - Lead, new SimEvent(EventKind.Generate, state) { Host = h, Nominal = first });
            }

            if (state.Incident is { Kind: IncidentKind.Paused } pause && spec.Expectation is { } paused)
            {
                Push(pause.At, new SimEvent(EventKind.Expectation, state) { Expectation = paused with { Paused = true, PausedUntil = pause.At + pause.Duration } });
            }
        }

        foreach (var name in Channels)
        {
            await store.SaveChannelAsync(new AlertChannel(name, ChannelKind.Webhook) { Settings = new Dictionary<string, string> { ["url"] = $"http://127.0.0.1:9/{name}" } }, replace: true, cancellationToken);
        }

        // As the server runs it, but rechecking a script at least daily rather than every 5 minutes: the due instants
        // the evaluation gives are what is under test, and a recheck of every script every 5 simulated minutes would be
        // most of the work. It evaluates every script whose runs arrived and every one that came due, and records
        // every change of state with what it tells: the simulation's alerts are its flips, as a server's are.
        var engine = new AlertEngine(store, new AlertOptions { TickMilliseconds = 60_000, MaxRecheckSeconds = 86_400 }, fresh.FeedInCommitOrder, clock, NullLogger.Instance, $"simulation-{shard}");
        var bursts = states.Where(s => s.Incident is { Kind: IncidentKind.TooOften }).ToList();
        var deliveries = new Dictionary<Guid, RunDelivery>();
        var kills = new List<(Guid Id, DateTimeOffset At)>();
        var changes = new List<ScriptExpectation>();
        var dirty = new List<ScriptState>();
        var nextPrune = segment.WarmUpFrom + options.PruneEvery;
        var nextProgress = segment.WarmUpFrom + TimeSpan.FromHours(1);
        var nextBeat = segment.WarmUpFrom;
        var tick = options.Tick;
        while (true)
        {
            // The next instant anything happens: a run's event, a script the loop has due, or the beat that keeps its lease.
            var next = nextBeat;
            if (_events.TryPeek(out _, out var first) && first.Item1 < next.UtcTicks)
            {
                next = new DateTimeOffset(first.Item1, TimeSpan.Zero);
            }

            if (engine.PeekNextDue() is { } due && due < next)
            {
                next = due;
            }

            var now = Max(Ceiling(next, tick), clock.GetUtcNow());
            if (now >= segment.To)
            {
                break;
            }

            clock.SetUtcNow(now);
            await fresh.SetClockAsync(now, cancellationToken);
            while (_events.TryPeek(out var e, out var at) && at.Item1 <= now.UtcTicks)
            {
                _events.Dequeue();
                Handle(e, new DateTimeOffset(at.Item1, TimeSpan.Zero), deliveries, kills, changes, dirty);
            }

            var phase = System.Diagnostics.Stopwatch.GetTimestamp();
            var arrived = deliveries.Count > 0 || kills.Count > 0 || changes.Count > 0;
            if (deliveries.Count > 0)
            {
                await store.ImportRunsAsync([.. deliveries.Values], cancellationToken);
                deliveries.Clear();
            }

            foreach (var (id, at) in kills)
            {
                // What the sweep on the run's host does when its process is gone.
                await store.AbandonRunAsync(id, at, "the process was killed", cancellationToken);
            }

            kills.Clear();
            foreach (var change in changes)
            {
                await store.SetExpectationAsync(change, cancellationToken);
            }

            changes.Clear();
            ImportTime += System.Diagnostics.Stopwatch.GetElapsedTime(phase);

            // The loop's work is at arrivals and due instants, which are this simulation's too; a beat keeps its lease.
            if (arrived || now >= nextBeat || engine.PeekNextDue() <= now)
            {
                phase = System.Diagnostics.Stopwatch.GetTimestamp();
                if (!await engine.TickAsync(cancellationToken))
                {
                    throw new InvalidOperationException($"The alert loop lost its lease at {now:O}.");
                }

                Ticks++;
                nextBeat = now + EngineBeat;
                AlertLoopTime += System.Diagnostics.Stopwatch.GetElapsedTime(phase);
            }

            foreach (var state in dirty)
            {
                state.Dirty = false;
                // A learned script's incident is allowed the grace learned before it, and is due by the learned period.
                if (state.Spec.IsLearned && state.Incident is { Start: null } incident && engine.States.TryGet(state.Spec.Name, out var health) && health.Learned is { } learned)
                {
                    state.Learned = learned;
                    incident.Allowed = learned.Grace + options.Tick;
                }
            }

            dirty.Clear();
            foreach (var burst in bursts)
            {
                // The rate's window moves on without a start too.
                JudgeTooOften(burst, now);
            }

            if (now >= nextPrune)
            {
                phase = System.Diagnostics.Stopwatch.GetTimestamp();
                await store.PruneAsync(now - options.Horizon, ScriptHistory.Depth, cancellationToken);
                nextPrune += options.PruneEvery;
                PruneTime += System.Diagnostics.Stopwatch.GetElapsedTime(phase);
            }

            if (now >= nextProgress)
            {
                nextProgress += TimeSpan.FromHours(1);
                progress?.Invoke(now);
            }
        }

        await ReadAlertsAsync(store, segment, cancellationToken);
        await ReadNotificationsAsync(store, segment, cancellationToken);
    }

    /// <summary>Every change into a down state the loop recorded in the judged window, from its flips (newest first).</summary>
    private async Task ReadAlertsAsync(IScriptRunStore store, Segment segment, CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        DateTimeOffset? before = null;
        while (true)
        {
            var page = await store.ListFlipsAsync(null, before, RunQuery.MaxLimit, cancellationToken);
            var added = 0;
            foreach (var flip in page)
            {
                if (seen.Add(flip.Id) && flip.At >= segment.From)
                {
                    added++;
                    if (IsDown(flip.To) && !(flip.From is { } from && IsDown(from)))
                    {
                        _alerts.Add(new Alert(flip.ScriptName, flip.At, flip.To, flip.Reason.Message) { Segment = _segment });
                    }
                }
            }

            if (page.Count < RunQuery.MaxLimit || added == 0 || page[^1].At < segment.From)
            {
                return;
            }

            // From the oldest instant of the page again: flips of several scripts share one.
            before = page[^1].At.AddTicks(1);
        }
    }

    /// <summary>Every notification of the judged window, from the outbox, page by page (newest first).</summary>
    private async Task ReadNotificationsAsync(IScriptRunStore store, Segment segment, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(Guid, string)>();
        DateTimeOffset? before = null;
        while (true)
        {
            var page = await store.ListNotificationsAsync(before: before, limit: RunQuery.MaxLimit, cancellationToken: cancellationToken);
            var added = 0;
            foreach (var n in page)
            {
                if (seen.Add((n.EventId, n.ChannelName)) && n.CreatedAt >= segment.From)
                {
                    _notifications.Add(new SimNotification(n.ScriptName, n.ChannelName, n.Kind, n.CreatedAt) { Segment = _segment });
                    added++;
                }
            }

            if (page.Count < RunQuery.MaxLimit || added == 0 || page[^1].CreatedAt < segment.From)
            {
                return;
            }

            // From the oldest instant of the page again: two channels' notifications share one.
            before = page[^1].CreatedAt.AddTicks(1);
        }
    }

    private static DateTimeOffset Ceiling(DateTimeOffset instant, TimeSpan tick)
    {
        var remainder = instant.UtcTicks % tick.Ticks;
        return remainder == 0 ? instant : instant.AddTicks(tick.Ticks - remainder);
    }

    private static DateTimeOffset Next(ScriptSpec spec, DateTimeOffset after)
    {
        if (spec.Schedule is { } cron)
        {
            return cron.Next(after) ?? DateTimeOffset.MaxValue;
        }

        var period = spec.Period!.Value;
        var origin = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) + spec.Phase;
        var k = ((after - origin).Ticks / period.Ticks) + 1;
        return origin + (period * k);
    }

    private static bool IsDown(HealthState state) => state >= HealthState.TooOften && state != HealthState.NeverRan;

    private void Push(DateTimeOffset at, SimEvent e) => _events.Enqueue(e, (at.UtcTicks, _sequence++));

    private void Handle(SimEvent e, DateTimeOffset at, Dictionary<Guid, RunDelivery> deliveries, List<(Guid, DateTimeOffset)> kills, List<ScriptExpectation> changes, List<ScriptState> dirty)
    {
        var state = e.State;
        void MarkDirty()
        {
            if (!state.Dirty)
            {
                state.Dirty = true;
                dirty.Add(state);
            }
        }

        switch (e.Kind)
        {
            case EventKind.Generate:
                Generate(state, e.Host, e.Nominal);
                break;
            case EventKind.Start:
                var run = e.Run!;
                _runs++;
                state.InProgress.Add(run);
                // As the host's clock recorded it: the rule counts recorded starts.
                state.Starts.Enqueue(run.RecordedStart);
                state.LastStart = at;
                state.LastStartByHost[run.Host] = at;
                TrackTooOften(state, at);
                if (state.Incident is { Kind: IncidentKind.MissedRun, Start: not null, End: null } missed)
                {
                    missed.End = at;
                }

                if (run.IncidentRun && state.Incident is { Kind: IncidentKind.Hang } hang)
                {
                    hang.Start ??= at + state.Spec.Expectation!.MaxRuntime!.Value;
                }

                deliveries[run.Id] = new RunDelivery(new ScriptRun(run.Id, state.Spec.Name, run.Host, run.RecordedStart, null, RunOutcome.Running, null, null));
                if (run.KillAfter is { } kill)
                {
                    Push(at + kill, new SimEvent(EventKind.Kill, state) { Run = run });
                }
                else
                {
                    Push(at + run.Runtime, new SimEvent(EventKind.Complete, state) { Run = run });
                }

                MarkDirty();
                break;
            case EventKind.Complete:
                run = e.Run!;
                state.InProgress.Remove(run);
                var completed = run.RecordedStart + run.Runtime;
                deliveries[run.Id] = new RunDelivery(new ScriptRun(run.Id, state.Spec.Name, run.Host, run.RecordedStart, completed, run.Outcome, run.Outcome == RunOutcome.Failed ? 1 : 0, null));
                Completed(state, run, at);
                MarkDirty();
                break;
            case EventKind.Kill:
                run = e.Run!;
                state.InProgress.Remove(run);
                kills.Add((run.Id, at + _skew[run.Host]));
                if (state.Incident is { Kind: IncidentKind.Killed } killed && killed.Start is null)
                {
                    killed.Start = at;
                }

                MarkDirty();
                break;
            case EventKind.Expectation:
                changes.Add(e.Expectation!);
                state.Spec.Expectation = e.Expectation;
                MarkDirty();
                break;
        }
    }

    /// <summary>Creates the run of one nominal occurrence on one host, as the incidents shape it, and the next occurrence's turn.</summary>
    private void Generate(ScriptState state, int host, DateTimeOffset nominal)
    {
        var spec = state.Spec;
        var hostname = spec.Hosts[host];
        var next = Next(spec, nominal);
        if (next != DateTimeOffset.MaxValue)
        {
            Push(next - Lead, new SimEvent(EventKind.Generate, state) { Host = host, Nominal = next });
        }

        var incident = state.Incident;
        var runtime = Runtime(spec, nominal, incident);
        var outcome = RunOutcome.Succeeded;
        TimeSpan? killAfter = null;
        var extra = false;
        if (incident is not null && nominal >= incident.At)
        {
            // A fixed or learned period is due a period after the last start; a cron job at its occurrence. What a
            // script never told the monitor is as good as the monitor learned it: the learned period.
            DateTimeOffset Due() => (spec.IsLearned || spec.Schedule is null) && state.LastStart is { } last
                ? last + (spec.IsLearned ? state.Learned?.Period ?? spec.NominalPeriod : spec.NominalPeriod)
                : nominal;
            switch (incident.Kind)
            {
                case IncidentKind.Stopped:
                    incident.Start ??= Due();
                    return;
                case IncidentKind.MissedRun when incident.Remaining > 0:
                    incident.Remaining--;
                    incident.Start ??= Due();
                    return;
                case IncidentKind.HostDownEach or IncidentKind.HostsDownAtLeast or IncidentKind.HostDownAtLeastTolerated
                    when nominal < incident.At + incident.Duration && incident.Hosts.Contains(hostname):
                    // A fixed period is due a period after the host's own last start; the group is down once every
                    // host that went down is.
                    if (incident.Start is null && !incident.HostDue.ContainsKey(hostname))
                    {
                        incident.HostDue[hostname] = spec.Schedule is null && state.LastStartByHost.TryGetValue(hostname, out var hostLast) ? Max(hostLast + spec.NominalPeriod, nominal) : nominal;
                        if (incident.HostDue.Count == incident.Hosts.Length)
                        {
                            incident.Start = incident.HostDue.Values.Max();
                        }
                    }

                    return;
                case IncidentKind.HostDownEach or IncidentKind.HostsDownAtLeast or IncidentKind.HostDownAtLeastTolerated
                    when incident.Start is not null && incident.Hosts.Contains(hostname):
                    incident.End ??= nominal + Jitter;
                    break;
                case IncidentKind.Paused when nominal >= incident.At + TimeSpan.FromHours(1) && nominal < incident.At + incident.Duration - TimeSpan.FromHours(3):
                    incident.Start ??= incident.At;
                    return;
                case IncidentKind.MaintenanceQuiet when nominal >= incident.WindowOpen + TimeSpan.FromHours(1) && nominal < incident.WindowClose - spec.NominalPeriod - TimeSpan.FromHours(1):
                    // Down inside the window and back, with a run, before it closes: nothing to tell.
                    return;
                case IncidentKind.MaintenanceOverrun when nominal >= incident.WindowOpen + TimeSpan.FromMinutes(30):
                    // Down inside the window and still down when it closes: told as it closes, not before.
                    return;
                case IncidentKind.SingleFailure or IncidentKind.FailuresBelowTolerance or IncidentKind.FailuresAtTolerance or IncidentKind.FailuresAboveTolerance when incident.Remaining > 0:
                    incident.Remaining--;
                    outcome = RunOutcome.Failed;
                    extra = true;
                    break;
                case IncidentKind.Hang when incident.Remaining > 0:
                    incident.Remaining--;
                    runtime = (spec.Expectation!.MaxRuntime!.Value * 3) + TimeSpan.FromMinutes(1);
                    extra = true;
                    break;
                case IncidentKind.ShortRun when incident.Remaining > 0:
                    incident.Remaining--;
                    // A tenth of the normal runtime, not of a noisy one: a tenth of a run at twice the median is no incident.
                    runtime = Normal(spec, nominal) / 10;
                    extra = true;
                    break;
                case IncidentKind.Killed when incident.Remaining > 0:
                    incident.Remaining--;
                    killAfter = runtime / 2;
                    break;
                case IncidentKind.TooOften when nominal < incident.At + incident.Duration:
                    // Two more runs in every period: three times as often.
                    for (var k = 1; k <= 2; k++)
                    {
                        var at = nominal + (spec.NominalPeriod * k / 3);
                        Start(state, hostname, at + Noise(), Runtime(spec, at, incident), RunOutcome.Succeeded, null, incidentRun: false);
                    }

                    break;
            }
        }

        Start(state, hostname, nominal + Noise() - Early(spec), runtime, outcome, killAfter, extra);
    }

    private TimeSpan Noise() => TimeSpan.FromTicks((long)(((_random.NextDouble() * 2) - 1) * Jitter.Ticks));

    /// <summary>Some cron runs start up to a minute early, besides the jitter: a host whose cron fires ahead.</summary>
    private TimeSpan Early(ScriptSpec spec) => spec.Schedule is not null && _random.NextDouble() < options.EarlyShare
        ? TimeSpan.FromTicks((long)(_random.NextDouble() * TimeSpan.TicksPerMinute))
        : TimeSpan.Zero;

    private void Start(ScriptState state, string host, DateTimeOffset at, TimeSpan runtime, RunOutcome outcome, TimeSpan? killAfter, bool incidentRun)
    {
        var id = new Guid(_random.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + _random.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        var recordedStart = Timestamps.Normalize(at + _skew[host]);
        var run = new SimRun(id, host, recordedStart, Timestamps.Normalize(recordedStart + runtime) - recordedStart, outcome, killAfter, incidentRun);
        Push(at, new SimEvent(EventKind.Start, state) { Run = run });
    }

    /// <summary>The script's median runtime at <paramref name="at"/>, drifted over the year, without noise.</summary>
    private TimeSpan Normal(ScriptSpec spec, DateTimeOffset at) => TimeSpan.FromTicks((long)(spec.RuntimeMedian.Ticks * Drift(spec, at)));

    private double Drift(ScriptSpec spec, DateTimeOffset at) =>
        1 + (spec.DriftPerYear * (at - new DateTimeOffset(options.Year, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalDays / 365.0);

    /// <summary>A runtime: log-normal around the script's median, drifted over the year, and crept for the slow-creep incident.</summary>
    private TimeSpan Runtime(ScriptSpec spec, DateTimeOffset at, Incident? incident)
    {
        var factor = Drift(spec, at);
        if (incident is { Kind: IncidentKind.SlowCreep } creep)
        {
            factor *= CreepFactor(creep, at);
        }

        // Box-Muller: one normal deviate from two uniform ones.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var ticks = spec.RuntimeMedian.Ticks * factor * Math.Exp(Population.RuntimeSigma * z);
        return TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)ticks));
    }

    /// <summary>
    /// The slow creep: from 1 to 2.5 over the 30 days before the incident, held for its duration. It passes twice the
    /// runtime of a month before 10 days before the incident's injection instant (<see cref="Incident.At"/>).
    /// </summary>
    internal static double CreepFactor(Incident creep, DateTimeOffset at)
    {
        if (at >= creep.At + creep.Duration)
        {
            return 1;
        }

        var ramp = (at - (creep.At - CreepRamp)).TotalDays / CreepRamp.TotalDays;
        return 1 + (1.5 * Math.Clamp(ramp, 0, 1));
    }

    internal static readonly TimeSpan CreepRamp = TimeSpan.FromDays(30);

    private void Completed(ScriptState state, SimRun run, DateTimeOffset at)
    {
        if (state.Incident is not { } incident || (at < incident.At && !run.IncidentRun))
        {
            return;
        }

        switch (incident.Kind)
        {
            case IncidentKind.SingleFailure or IncidentKind.ShortRun when run.IncidentRun:
                incident.Start ??= at;
                break;
            case IncidentKind.FailuresAboveTolerance when run.IncidentRun && incident.Remaining == 0 && !state.InProgress.Exists(r => r.IncidentRun):
                incident.Start ??= at;
                break;
            case IncidentKind.FailuresAtTolerance or IncidentKind.FailuresBelowTolerance when run.IncidentRun:
                incident.Start ??= at;
                break;
            case IncidentKind.Hang when run.IncidentRun:
                incident.End = at;
                break;
            case IncidentKind.SlowCreep when run.Outcome == RunOutcome.Succeeded && incident.Start is null && CreepFactor(incident, run.RecordedStart) >= 2.0 * CreepFactor(incident, run.RecordedStart - TimeSpan.FromDays(37)):
                // The runtime without its noise has doubled against a month before (the middle of the baseline window).
                incident.Start = at;
                break;
            case IncidentKind.SlowCreep when incident.Start is not null && incident.End is null && at >= incident.At + incident.Duration:
                incident.End = at;
                break;
            case IncidentKind.SingleFailure or IncidentKind.ShortRun or IncidentKind.FailuresAboveTolerance or IncidentKind.FailuresAtTolerance or IncidentKind.FailuresBelowTolerance or IncidentKind.Killed
                when !run.IncidentRun && run.Outcome == RunOutcome.Succeeded && incident.Start is not null && incident.Remaining == 0:
                incident.End ??= at;
                break;
        }
    }

    /// <summary>
    /// The instant the burst first put more than twice the scheduled runs into the span a rate is judged over: the
    /// last six periods of a fixed period; for a cron schedule, from five minutes before the sixth occurrence due
    /// (past its grace) to now, against every occurrence in that span.
    /// </summary>
    private void TrackTooOften(ScriptState state, DateTimeOffset at)
    {
        var spec = state.Spec;
        var keep = (spec.NominalPeriod * 8) + spec.Grace + TimeSpan.FromMinutes(5);
        while (state.Starts.Count > 0 && state.Starts.Peek() < at - keep)
        {
            state.Starts.Dequeue();
        }

        JudgeTooOften(state, at);
    }

    /// <summary>Whether the burst is too often by the rule's definition at <paramref name="at"/>: on a start, and on every evaluation (the window also moves on).</summary>
    private void JudgeTooOften(ScriptState state, DateTimeOffset at)
    {
        var spec = state.Spec;
        if (state.Incident is not { Kind: IncidentKind.TooOften, Start: null } burst || at < burst.At)
        {
            return;
        }

        DateTimeOffset from;
        int scheduled;
        // Judged at the evaluation tick the start arrives at, as the rule is.
        var judged = Ceiling(at, options.Tick);
        if (spec.Schedule is { } cron)
        {
            var occurrence = cron.Previous(judged - spec.Grace)!.Value;
            for (var i = 1; i < 6; i++)
            {
                occurrence = cron.Previous(occurrence - TimeSpan.FromTicks(1))!.Value;
            }

            from = occurrence - TimeSpan.FromMinutes(5);
            scheduled = 0;
            for (var next = cron.Next(from - TimeSpan.FromTicks(1)); next is { } n && n <= judged; next = cron.Next(n))
            {
                scheduled++;
            }
        }
        else
        {
            from = judged - (spec.NominalPeriod * 6);
            scheduled = 6;
        }

        // Every start so far, as recorded: the rule counts those up to a few minutes after the tick (hosts' clocks).
        if (state.Starts.Count(s => s >= from) > 2 * scheduled)
        {
            burst.Start = at;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class SimEvent(EventKind kind, ScriptState state)
    {
        public EventKind Kind { get; } = kind;

        public ScriptState State { get; } = state;

        public int Host { get; init; }

        public DateTimeOffset Nominal { get; init; }

        public SimRun? Run { get; init; }

        public ScriptExpectation? Expectation { get; init; }

    }

    private sealed record SimRun(Guid Id, string Host, DateTimeOffset RecordedStart, TimeSpan Runtime, RunOutcome Outcome, TimeSpan? KillAfter, bool IncidentRun);

    private sealed class ScriptState(ScriptSpec spec, Incident? incident)
    {
        public ScriptSpec Spec { get; } = spec;

        public Incident? Incident { get; } = incident;

        public List<SimRun> InProgress { get; } = [];

        public Queue<DateTimeOffset> Starts { get; } = new();

        public DateTimeOffset? LastStart { get; set; }

        public LearnedExpectation? Learned { get; set; }

        public Dictionary<string, DateTimeOffset> LastStartByHost { get; } = new(StringComparer.Ordinal);

        public bool Dirty { get; set; }

    }
}
