using ScriptMonitor.Health;

namespace ScriptMonitor.Simulation;

/// <summary>The simulated stretches of time and the incidents injected into them, all drawn from the seed.</summary>
internal static class Scenario
{
    /// <summary>The warm-up before a judged window: long enough that daily scripts have learned their period.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromDays(6);

    /// <summary>The full year: one stretch, after the warm-up.</summary>
    internal static List<Segment> FullYear(int year, int? days = null)
    {
        var from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return [new Segment(days is null ? "year" : $"{days} days", from - WarmUp, from, days is { } n ? from.AddDays(n) : from.AddYears(1))];
    }

    /// <summary>
    /// One window of three days centred on each clock change of the year (changes on nearby days share one), each on
    /// a fresh store after its own warm-up.
    /// </summary>
    internal static List<Segment> DstWindows(int year, IEnumerable<string> zones)
    {
        var changes = new List<(DateTimeOffset At, string Zone)>();
        foreach (var zone in zones.Distinct(StringComparer.Ordinal))
        {
            changes.AddRange(TimeZoneCheck.Changes(zone, year).Select(at => (at, zone)));
        }

        changes.Sort((a, b) => a.At.CompareTo(b.At));
        var segments = new List<Segment>();
        var half = TimeSpan.FromDays(1.5);
        for (var i = 0; i < changes.Count;)
        {
            var cluster = new List<(DateTimeOffset At, string Zone)> { changes[i] };
            // Changes closer than two windows' halves share a window, so that no two windows overlap.
            var j = i + 1;
            while (j < changes.Count && changes[j].At - cluster[^1].At < half * 2)
            {
                cluster.Add(changes[j++]);
            }

            var centre = cluster[0].At + ((cluster[^1].At - cluster[0].At) / 2);
            var from = cluster[0].At - half;
            segments.Add(new Segment($"{centre:yyyy-MM-dd} ({string.Join(", ", cluster.Select(c => c.Zone).Distinct())})", from - WarmUp, from, cluster[^1].At + half)
            {
                Zones = [.. cluster.Select(c => c.Zone).Distinct()],
                Transition = centre,
            });
            i = j;
        }

        return segments;
    }

    /// <summary>
    /// The incidents: in the full year, <paramref name="perKind"/> of each kind on distinct scripts spread over the
    /// year; in the DST windows, each kind in each window where a script fits, placed near the clock change and on a
    /// script of a zone that changes there where there is one.
    /// </summary>
    internal static List<Incident> Incidents(IReadOnlyList<ScriptSpec> scripts, IReadOnlyList<Segment> segments, int seed, int perKind, TimeSpan tick, bool reduced)
    {
        var random = new Random(seed ^ 0x15);
        var incidents = new List<Incident>();
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var used = new HashSet<ScriptSpec>();
            // One of each kind per round: kinds whose scripts overlap (the three failure counts share the scripts that
            // tolerate failures; the maintenance kinds and the pause, the scheduled ones) share them evenly, rather
            // than the first kinds taking them all.
            for (var n = 0; n < (reduced ? 1 : perKind); n++)
            {
                foreach (var kind in Enum.GetValues<IncidentKind>())
                {
                    // The slow creep needs 30 days of ramp and 44 of history before it: the full year measures it; the
                    // reduced run's windows are days long, and its unit tests hold the rule.
                    if (kind == IncidentKind.SlowCreep && reduced)
                    {
                        continue;
                    }

                    var pool = scripts.Where(x => !used.Contains(x) && Fits(kind, x, reduced)).ToList();
                    if (reduced && segment.Zones.Count > 0)
                    {
                        var local = pool.Where(x => segment.Zones.Contains(x.Zone)).ToList();
                        if (local.Count > 0)
                        {
                            pool = local;
                        }
                    }

                    if (pool.Count > 0)
                    {
                        var script = pool[random.Next(pool.Count)];
                        used.Add(script);
                        var duration = Duration(kind, script, reduced);
                        var margin = duration + (script.NominalPeriod * 4) + TimeSpan.FromHours(12);
                        // A creep is injected where its baseline (30 to 44 days before its start, 10 days before this) has been simulated.
                        var earliest = segment.From + (kind == IncidentKind.SlowCreep && !reduced ? TimeSpan.FromDays(50) : TimeSpan.Zero);
                        var latest = segment.To - margin;
                        DateTimeOffset at;
                        if (kind is IncidentKind.MaintenanceQuiet or IncidentKind.MaintenanceOverrun && (segment.Transition ?? FirstChange(script.Zone, segment)) is { } clockChange)
                        {
                            // The window opens two hours before a clock change of its zone and closes after it.
                            at = clockChange - TimeSpan.FromHours(2);
                            at = at < earliest ? earliest : at > latest ? latest : at;
                        }
                        else if (segment.Transition is { } change)
                        {
                            // Shortly before the change, so that the incident and its detection straddle it.
                            at = change - TimeSpan.FromMinutes(random.Next(12 * 60)) - script.NominalPeriod;
                            at = at < earliest ? earliest : at > latest ? latest : at;
                        }
                        else
                        {
                            at = earliest + TimeSpan.FromTicks((long)(random.NextDouble() * Math.Max(0, (latest - earliest).Ticks)));
                        }

                        if (at < earliest || at > latest)
                        {
                            // No room for it in this stretch (a creep in a slice shorter than its baseline and ramp).
                            continue;
                        }

                        at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
                        var tolerated = script.Expectation?.FailuresTolerated ?? 0;
                        var window = kind is IncidentKind.MaintenanceQuiet or IncidentKind.MaintenanceOverrun ? Window(script, at, duration, incidents.Count + 1) : null;
                        var open = window?.NextOpeningAfter(at - TimeSpan.FromDays(2)) ?? at;
                        var incident = new Incident
                        {
                            Window = window,
                            WindowOpen = open,
                            WindowClose = window?.ClosesAt(open) ?? at,
                            Id = incidents.Count + 1,
                            Kind = kind,
                            Segment = s,
                            Script = script,
                            At = window is null ? at : open,
                            Duration = duration,
                            Hosts = kind switch
                            {
                                IncidentKind.HostDownEach or IncidentKind.HostDownAtLeastTolerated => [script.Hosts[0]],
                                IncidentKind.HostsDownAtLeast => [script.Hosts[0], script.Hosts[1]],
                                _ => [],
                            },
                            Remaining = kind switch
                            {
                                IncidentKind.FailuresBelowTolerance => tolerated - 1,
                                IncidentKind.FailuresAtTolerance => tolerated,
                                IncidentKind.FailuresAboveTolerance => tolerated + 1,
                                _ => 1,
                            },
                            Allowed = kind == IncidentKind.SlowCreep ? CreepAllowance(script) + script.Grace + tick : script.Grace + tick,
                        };
                        if (kind == IncidentKind.TooOften)
                        {
                            // The rate is judged over the last six periods and the grace: the burst shows that long after it.
                            incident.End = at + duration + (script.NominalPeriod * 7) + script.Grace;
                        }

                        if (kind == IncidentKind.Paused)
                        {
                            incident.Start = at;
                            incident.End = at + duration;
                        }

                        if (kind == IncidentKind.MaintenanceQuiet)
                        {
                            incident.Start = incident.WindowOpen;
                            incident.End = incident.WindowClose;
                        }

                        if (kind == IncidentKind.MaintenanceOverrun)
                        {
                            // The product's rule: a script still down when its window closes is told then.
                            incident.Start = incident.WindowClose;
                        }

                        incidents.Add(incident);
                    }
                }
            }
        }

        return incidents;
    }

    /// <summary>
    /// The creep is seen by a median, not by one run: the recent median (the successes of the last day, or the newest
    /// twelve) lags the runtime by half its span, and its noise by as much again. Three spans of it.
    /// </summary>
    private static TimeSpan CreepAllowance(ScriptSpec script) =>
        Max(TimeSpan.FromDays(1), script.NominalPeriod * RecentRuns) * 3;

    /// <summary>The fewest recent successes the drift rule judges a median of (RuntimeBaseline.MinimumRuns).</summary>
    private const int RecentRuns = 12;

    /// <summary>
    /// The window of a maintenance incident, in the script's zone by a cron expression of its local opening (once a
    /// year, so, in effect), for the script itself or for a tag it carries, every other incident.
    /// </summary>
    private static Alerts.MaintenanceWindow Window(ScriptSpec script, DateTimeOffset at, TimeSpan duration, int id)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(script.Zone));
        return new Alerts.MaintenanceWindow($"sim-window-{id}")
        {
            ScriptName = id % 2 == 0 ? script.Name : null,
            Tag = id % 2 == 0 ? null : $"maint-{id}",
            Cron = $"{local.Minute} {local.Hour} {local.Day} {local.Month} *",
            TimeZone = script.Zone,
            Duration = duration,
        };
    }

    /// <summary>The first clock change of a zone inside a segment, for a maintenance window across it; null for a zone without one.</summary>
    private static DateTimeOffset? FirstChange(string zone, Segment segment) =>
        TimeZoneCheck.Changes(zone, segment.From.Year).Where(c => c > segment.From + TimeSpan.FromDays(1) && c < segment.To - TimeSpan.FromDays(2)).Cast<DateTimeOffset?>().FirstOrDefault();

    private static TimeSpan Duration(IncidentKind kind, ScriptSpec script, bool reduced) => kind switch
    {
        IncidentKind.MaintenanceQuiet => Max(TimeSpan.FromHours(6), script.NominalPeriod * 3),
        IncidentKind.MaintenanceOverrun => Max(TimeSpan.FromHours(4), (script.NominalPeriod * 2) + TimeSpan.FromHours(1)),
        IncidentKind.TooOften => script.NominalPeriod * 12,
        IncidentKind.SlowCreep => TimeSpan.FromDays(3),
        IncidentKind.HostDownEach or IncidentKind.HostsDownAtLeast or IncidentKind.HostDownAtLeastTolerated => Max(TimeSpan.FromHours(12), script.NominalPeriod * 3),
        IncidentKind.Paused => reduced ? TimeSpan.FromHours(12) : TimeSpan.FromDays(2),
        _ => TimeSpan.Zero,
    };

    private static bool Fits(IncidentKind kind, ScriptSpec script, bool reduced)
    {
        var period = script.NominalPeriod;
        var any = script.Mode == HostMode.Any;
        var upToDaily = period <= TimeSpan.FromDays(1);
        var expectation = script.Expectation;
        return kind switch
        {
            // A run missed only shows where the period is longer than the grace: a minutely job's next run is due before it.
            IncidentKind.MissedRun => any && expectation is not null && script.Cron is not null && period >= TimeSpan.FromHours(1) && upToDaily,
            IncidentKind.Stopped => any && upToDaily,
            IncidentKind.SingleFailure => any && upToDaily && (expectation?.FailuresTolerated ?? 0) == 0,
            IncidentKind.FailuresBelowTolerance or IncidentKind.FailuresAtTolerance or IncidentKind.FailuresAboveTolerance => any && upToDaily && expectation?.FailuresTolerated > 0,
            IncidentKind.Hang => any && upToDaily && expectation?.MaxRuntime is not null,
            IncidentKind.ShortRun => any && upToDaily && expectation?.MinRuntime is not null,
            IncidentKind.TooOften => any && expectation?.Schedule is not null && period >= TimeSpan.FromMinutes(5) && period <= (reduced ? TimeSpan.FromHours(1) : TimeSpan.FromHours(6)),
            // A daily job has too few runs in a day for a median that tells a creep within days: its unit tests hold it.
            IncidentKind.SlowCreep => any && script.IsLearned && period >= TimeSpan.FromHours(1) && period <= TimeSpan.FromHours(6),
            IncidentKind.HostDownEach => script.Mode == HostMode.Each && upToDaily,
            IncidentKind.HostsDownAtLeast or IncidentKind.HostDownAtLeastTolerated => script.Mode == HostMode.AtLeast && upToDaily,
            IncidentKind.Killed => any && upToDaily && (expectation?.FailuresTolerated ?? 0) == 0,
            IncidentKind.Paused => any && expectation?.Schedule is not null && period <= TimeSpan.FromHours(1),
            IncidentKind.MaintenanceQuiet or IncidentKind.MaintenanceOverrun => any && expectation?.Schedule is not null && period <= TimeSpan.FromHours(6),
            _ => false,
        };
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
