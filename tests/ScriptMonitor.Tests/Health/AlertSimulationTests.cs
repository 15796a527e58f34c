using ScriptMonitor.Simulation;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// The reduced run of the alert simulation (bench/alert-simulation.sh --reduced): 100 scripts on the real SQLite store,
/// the real evaluation and the real alert loop with two channels, over three days around every clock change of 2028 in
/// the population's zones, with every incident kind but the slow creep (its 30-day ramp is the full year's; the
/// drift rule's unit tests hold it). One missed incident, one late, one false alarm or one notification for nothing
/// fails it, and so does an incident not told exactly one Down per channel.
/// </summary>
public sealed class AlertSimulationTests
{
    [Fact]
    public async Task A_reduced_simulation_around_every_clock_change_detects_every_incident_in_time_and_raises_no_false_alarm()
    {
        var report = await AlertSimulation.RunAsync(new SimulationOptions { Seed = 15, Scripts = 100, Year = 2028, Reduced = true });

        Assert.True(report.Segments.Count >= 6, string.Join("; ", report.Segments));
        Assert.All(
            Enum.GetValues<IncidentKind>().Where(k => k != IncidentKind.SlowCreep),
            kind => Assert.Contains(report.Kinds, row => row.Kind == kind.Label() && row.Incidents > 0));
        Assert.True(report.MissedOrLate.Count == 0, "missed or late: " + string.Join("; ", report.MissedOrLate));
        Assert.True(report.FalseAlarms.Count == 0, "false alarms: " + string.Join("; ", report.FalseAlarms));
        Assert.True(report.FalseNotifications.Count == 0, "false notifications: " + string.Join("; ", report.FalseNotifications));

        Assert.True(report.NotificationProblems.Count == 0, "not told exactly once: " + string.Join("; ", report.NotificationProblems));
        Assert.All(report.Kinds, row => Assert.Equal(row.Incidents, row.ToldOnce));
    }

    [Fact]
    public void Time_zone_data_without_a_zone_of_the_population_is_refused_naming_the_zone()
    {
        var problem = TimeZoneCheck.Problem(["Europe/Berlin", "Antarctica/Nowhere"], 2028);

        Assert.NotNull(problem);
        Assert.Contains("Antarctica/Nowhere", problem, StringComparison.Ordinal);
        Assert.Null(TimeZoneCheck.Problem(Population.Zones, 2028));
    }
}
