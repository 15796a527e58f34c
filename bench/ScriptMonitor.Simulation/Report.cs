using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScriptMonitor.Simulation;

internal sealed record KindRow(string Kind, int Incidents, int Detected, int Missed, int WithinAllowed, double? MedianDelaySeconds, double? P99DelaySeconds, double? MaxDelaySeconds, double MaxAllowedSeconds)
{
    /// <summary>Incidents told exactly one Down on each channel (for a quiet kind: told nothing at all).</summary>
    public int? ToldOnce { get; init; }

    /// <summary>Incidents whose end was told as one Recovery on each channel.</summary>
    public int? RecoveryTold { get; init; }
}

internal sealed record FalseNotification(string Script, string At, string Channel, string Kind, string Cause);

internal sealed record FalseAlarm(string Script, string At, string State, string Cause, string Reason);

internal sealed record IncidentRow(int Id, string Kind, string Script, string At, string? Start, string? End, string? DetectedAt, string? DetectedBy, double AllowedSeconds);

internal sealed record MissedIncident(int Id, string Kind, string Script, string? Start, string? End, double? DelaySeconds, double AllowedSeconds);

internal sealed record SimulationReport(
    int Seed,
    int Scripts,
    int Year,
    bool Reduced,
    string TimeZoneData,
    double TickSeconds,
    IReadOnlyList<string> Segments,
    long Runs,
    long LoopTicks,
    double WallSeconds,
    double RunsPerSecond,
    IReadOnlyList<KindRow> Kinds,
    IReadOnlyDictionary<string, int> FalseAlarmsByCause,
    IReadOnlyList<FalseAlarm> FalseAlarms,
    IReadOnlyList<MissedIncident> MissedOrLate,
    IReadOnlyList<string> LeftOut,
    IReadOnlyList<IncidentRow> Incidents,
    IReadOnlyList<string> Population)
{
    /// <summary>No missed incident, none detected late, and no false alarm.</summary>
    /// <summary>Where the wall time went, summed over the shards: importing runs, the alert loop, pruning (CPU-seconds, roughly).</summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>The store simulated on, with its version: "SQLite 3.x" or "PostgreSQL 15.x".</summary>
    public string Store { get; init; } = "SQLite";

    [JsonIgnore]
    public bool Clean => MissedOrLate.Count == 0 && FalseAlarms.Count == 0 && FalseNotifications.Count == 0 && NotificationProblems.Count == 0;

    /// <summary>Notifications told for nothing (outside any incident, or inside a quiet one), by cause; null when the alert loop was not driven.</summary>
    public IReadOnlyDictionary<string, int>? FalseNotificationsByCause { get; init; }

    public IReadOnlyList<FalseNotification> FalseNotifications { get; init; } = [];

    /// <summary>Incidents not told exactly once per channel (or told more than one recovery per channel).</summary>
    public IReadOnlyList<string> NotificationProblems { get; init; } = [];

    internal static SimulationReport Build(SimulationOptions options, IReadOnlyList<ScriptSpec> scripts, IReadOnlyList<Segment> segments, IReadOnlyList<Incident> incidents, IReadOnlyList<Alert> alerts, IReadOnlyList<SimNotification>? notifications, long runs, long loopTicks, TimeSpan wall)
    {
        var bySegment = incidents.ToLookup(i => i.Segment);
        var falseAlarms = new List<FalseAlarm>();
        foreach (var alert in alerts.OrderBy(a => a.At))
        {
            var segment = segments[alert.Segment];
            var mine = bySegment[alert.Segment].Where(i => i.Script.Name == alert.Script).ToList();
            var end = segment.To;

            // Host clocks are a few seconds apart: an alert that seconds before the incident's start on the simulation's clock is its alert.
            bool Inside(Incident i) => i.Earliest is { } earliest && alert.At >= earliest && alert.At <= (i.End ?? end) + i.Allowed;
            var incident = mine.FirstOrDefault(i => !i.Kind.IsQuiet() && Inside(i));
            if (incident is not null)
            {
                if (incident.DetectedAt is null)
                {
                    incident.DetectedAt = alert.At;
                    incident.DetectedBy = $"{alert.State}: {alert.Reason}";
                }

                continue;
            }

            var quiet = mine.FirstOrDefault(i => i.Kind.IsQuiet() && Inside(i));
            var cause = quiet is not null ? $"{alert.State} during {quiet.Kind.Label()}" : alert.State.ToString();
            falseAlarms.Add(new FalseAlarm(alert.Script, Iso(alert.At), alert.State.ToString(), cause, alert.Reason));
        }

        var falseNotifications = new List<FalseNotification>();
        foreach (var n in notifications ?? [])
        {
            var mine = bySegment[n.Segment].Where(i => i.Script.Name == n.Script).ToList();

            // Told for the incident from its start (less the hosts' clock skew) on: its Down, its Recovery, whatever else.
            var incident = mine.FirstOrDefault(i => !i.Kind.IsQuiet() && i.Earliest is { } earliest && n.At >= earliest);
            if (incident is not null)
            {
                var counts = n.Kind switch
                {
                    Alerts.NotificationKind.Down => incident.Downs,
                    Alerts.NotificationKind.Recovery => incident.Recoveries,
                    _ => null,
                };
                if (counts is null)
                {
                    incident.OtherNotices++;
                }
                else
                {
                    counts[n.Channel] = counts.GetValueOrDefault(n.Channel) + 1;
                }

                continue;
            }

            var quiet = mine.FirstOrDefault(i => i.Kind.IsQuiet() && i.Start is { } s && n.At >= s - TimeSpan.FromSeconds(5) && n.At <= (i.End ?? segments[n.Segment].To) + i.Allowed);
            falseNotifications.Add(new FalseNotification(n.Script, Iso(n.At), n.Channel, n.Kind.ToString(), quiet is not null ? $"{n.Kind} during {quiet.Kind.Label()}" : n.Kind.ToString()));
        }

        bool ToldOnce(Incident i) => Simulator.Channels.All(c => i.Downs.GetValueOrDefault(c) == 1) && i.OtherNotices == 0 && Simulator.Channels.All(c => i.Recoveries.GetValueOrDefault(c) <= 1);
        bool RecoveryTold(Incident i) => Simulator.Channels.All(c => i.Recoveries.GetValueOrDefault(c) == 1);
        var problems = notifications is null
            ? []
            : incidents.Where(i => !i.Kind.IsQuiet() && i.DetectedAt is not null && !ToldOnce(i)).Select(i =>
                $"incident {i.Id} ({i.Kind.Label()}, {i.Script.Name}): Down {string.Join("/", Simulator.Channels.Select(c => i.Downs.GetValueOrDefault(c)))}, Recovery {string.Join("/", Simulator.Channels.Select(c => i.Recoveries.GetValueOrDefault(c)))}, other {i.OtherNotices}").ToList();

        var rows = new List<KindRow>();
        var missed = new List<MissedIncident>();
        foreach (var group in incidents.Where(i => !i.Kind.IsQuiet()).GroupBy(i => i.Kind).OrderBy(g => g.Key))
        {
            var delays = group.Where(i => i.DetectedAt is not null && i.Start is not null).Select(i => Math.Max(0, (i.DetectedAt!.Value - i.Start!.Value).TotalSeconds)).Order().ToList();
            var within = group.Count(i => i.DetectedAt is { } at && i.Start is { } start && at - start <= i.Allowed);
            rows.Add(new KindRow(
                group.Key.Label(),
                group.Count(),
                delays.Count,
                group.Count() - delays.Count,
                within,
                Percentile(delays, 0.5),
                Percentile(delays, 0.99),
                delays.Count > 0 ? delays[^1] : null,
                group.Max(i => i.Allowed.TotalSeconds))
            {
                ToldOnce = notifications is null ? null : group.Count(ToldOnce),
                RecoveryTold = notifications is null ? null : group.Count(RecoveryTold),
            });
            missed.AddRange(group.Where(i => i.DetectedAt is not { } at || i.Start is not { } start || at - start > i.Allowed).Select(i => new MissedIncident(
                i.Id,
                i.Kind.Label(),
                i.Script.Name,
                i.Start is { } s ? Iso(s) : null,
                i.End is { } e ? Iso(e) : null,
                i.DetectedAt is { } d && i.Start is { } st ? (d - st).TotalSeconds : null,
                i.Allowed.TotalSeconds)));
        }

        foreach (var group in incidents.Where(i => i.Kind.IsQuiet()).GroupBy(i => i.Kind).OrderBy(g => g.Key))
        {
            rows.Add(new KindRow(group.Key.Label(), group.Count(), 0, 0, 0, null, null, null, group.Max(i => i.Allowed.TotalSeconds))
            {
                ToldOnce = notifications is null ? null : group.Count(i => !falseNotifications.Any(f => f.Script == i.Script.Name && f.Cause.EndsWith(i.Kind.Label(), StringComparison.Ordinal))),
            });
        }

        return new SimulationReport(
            options.Seed,
            options.Scripts,
            options.Year,
            options.Reduced,
            TimeZoneCheck.Version(),
            options.Tick.TotalSeconds,
            [.. segments.Select(s => s.Name)],
            runs,
            loopTicks,
            Math.Round(wall.TotalSeconds, 1),
            Math.Round(runs / Math.Max(0.001, wall.TotalSeconds)),
            rows,
            falseAlarms.GroupBy(f => f.Cause).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            falseAlarms,
            missed,
            [],
            [.. incidents.Select(i => new IncidentRow(i.Id, i.Kind.Label(), i.Script.Name, Iso(i.At), i.Start is { } s ? Iso(s) : null, i.End is { } e ? Iso(e) : null, i.DetectedAt is { } d ? Iso(d) : null, i.DetectedBy, i.Allowed.TotalSeconds))],
            [.. scripts.Select(s => $"{s.Name}: {s.Cron ?? $"every {s.Period}"} ({s.Zone}) on {s.Mode} {string.Join(",", s.Hosts)}{(s.IsLearned ? ", learned" : string.Empty)}, runtime {s.RuntimeMedian}")])
        {
            FalseNotificationsByCause = notifications is null ? null : falseNotifications.GroupBy(f => f.Cause).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            FalseNotifications = falseNotifications,
            NotificationProblems = problems,
        };
    }

    internal string Table()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Alert simulation: seed {Seed}, {Scripts} scripts, {(Reduced ? $"DST windows of {Year}" : $"the year {Year}")}, tick {TickSeconds:0} s, {TimeZoneData}, store {Store}");
        text.AppendLine(c, $"{"incident kind",-32} {"n",4} {"detected",8} {"missed",6} {"in time",7} {"median",8} {"p99",8} {"max",8} {"allowed",8} {"told 1x",7} {"recov.",6}");
        foreach (var row in Kinds)
        {
            text.AppendLine(c, $"{row.Kind,-32} {row.Incidents,4} {row.Detected,8} {row.Missed,6} {row.WithinAllowed,7} {Seconds(row.MedianDelaySeconds),8} {Seconds(row.P99DelaySeconds),8} {Seconds(row.MaxDelaySeconds),8} {Seconds(row.MaxAllowedSeconds),8} {row.ToldOnce?.ToString(c) ?? "-",7} {row.RecoveryTold?.ToString(c) ?? "-",6}");
        }

        text.AppendLine(c, $"(told 1x: incidents told exactly one Down on each of {Simulator.Channels.Length} channels, quiet ones nothing; recov.: told one Recovery on each)");

        text.AppendLine(c, $"false alarms: {FalseAlarms.Count}");
        foreach (var (cause, count) in FalseAlarmsByCause)
        {
            text.AppendLine(c, $"  {count,6}  {cause}");
        }

        if (FalseNotificationsByCause is { } byCause)
        {
            text.AppendLine(c, $"false notifications: {FalseNotifications.Count}");
            foreach (var (cause, count) in byCause)
            {
                text.AppendLine(c, $"  {count,6}  {cause}");
            }

            foreach (var problem in NotificationProblems)
            {
                text.AppendLine(c, $"  {problem}");
            }
        }

        text.AppendLine(c, $"runs {Runs:N0}, alert loop ticks {LoopTicks:N0}, wall {WallSeconds:0.0} s, {RunsPerSecond:N0} simulated runs/s");
        text.AppendLine(c, $"time in (both shards): {string.Join(", ", PhaseSeconds.Select(p => $"{p.Key} {p.Value:0.0} s"))}");
        return text.ToString();
    }

    internal string Json() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    private static string Seconds(double? value) => value is { } v ? v.ToString(v >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + "s" : "-";

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}

/// <summary>One whole simulation: the population, the windows and the incidents from the seed, then each window in turn.</summary>
internal static class AlertSimulation
{
    /// <summary>The population is simulated in this many independent parts, one per core of the 2-core machine it must run on.</summary>
    private const int Shards = 2;

    internal static async Task<SimulationReport> RunAsync(SimulationOptions options, CancellationToken cancellationToken = default)
    {
        var store = await SimulationStore.DescribeAsync(options, cancellationToken);
        var scripts = Population.Create(options.Scripts, options.Seed, options.Reduced);
        if (TimeZoneCheck.Problem(Population.Zones, options.Year) is { } problem)
        {
            throw new InvalidOperationException($"The simulation cannot run: {problem}.");
        }

        var segments = options.Reduced ? Scenario.DstWindows(options.Year, scripts.Select(s => s.Zone)) : Scenario.FullYear(options.Year, options.Days);
        var incidents = Scenario.Incidents(scripts, segments, options.Seed, perKind: 20, options.Tick, options.Reduced);
        // In memory where the machine has a tmpfs: the simulation measures the evaluation, not the disk's flushes.
        var parent = options.Directory ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        var directory = Directory.CreateDirectory(Path.Combine(parent, $"scriptmon-simulation-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        // Scripts are evaluated each on its own, so two halves on two stores are the same simulation on both cores.
        var simulators = Enumerable.Range(0, Shards)
            .Select(shard => new Simulator(options, [.. scripts.Where(s => s.Index % Shards == shard)], incidents, shard))
            .ToArray();
        var watch = Stopwatch.StartNew();
        var total = segments.Sum(s => (s.To - s.WarmUpFrom).Ticks);
        long done = 0;
        try
        {
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                var index = i;
                void Progress(DateTimeOffset now) => options.Progress?.Invoke((done + (now - segment.WarmUpFrom).Ticks) / (double)total, simulators.Sum(s => s.Runs));
                await Task.WhenAll(simulators.Select((simulator, shard) => Task.Run(
                    () => simulator.RunAsync(segment, index, directory, shard == 0 ? Progress : null, cancellationToken),
                    cancellationToken)));
                done += (segment.To - segment.WarmUpFrom).Ticks;
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        var alerts = simulators.SelectMany(s => s.Alerts).OrderBy(a => a.At).ThenBy(a => a.Script, StringComparer.Ordinal).ToList();
        var notifications = simulators.SelectMany(s => s.Notifications).OrderBy(n => n.At).ToList();
        return SimulationReport.Build(options, scripts, segments, incidents, alerts, notifications, simulators.Sum(s => s.Runs), simulators.Sum(s => s.Ticks), watch.Elapsed) with
        {
            Store = store,
            PhaseSeconds = new Dictionary<string, double>
            {
                ["import"] = Math.Round(simulators.Sum(s => s.ImportTime.TotalSeconds), 1),
                ["prune"] = Math.Round(simulators.Sum(s => s.PruneTime.TotalSeconds), 1),
                ["alert loop"] = Math.Round(simulators.Sum(s => s.AlertLoopTime.TotalSeconds), 1),
            },
        };
    }
}
