using System.Globalization;
using System.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The health of scripts as a Nagios/Icinga plugin prints it (Monitoring Plugins guidelines): one status line with
/// the totals as performance data, one line per script, then per-script performance data.
/// </summary>
public static class NagiosFormat
{
    internal const string ServiceName = "SCRIPTMON";

    /// <summary>The report of a check over <paramref name="scripts"/>: the worst state decides the status.</summary>
    /// <param name="scripts">The evaluated scripts.</param>
    /// <param name="policy">Which states are WARNING and which CRITICAL.</param>
    /// <param name="now">When the check ran, printed with the report.</param>
    public static CheckReport Format(IReadOnlyList<ScriptHealth> scripts, CheckPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        ArgumentNullException.ThrowIfNull(policy);
        if (scripts.Count == 0)
        {
            return CheckReport.Unknown("no script matched");
        }

        var rated = scripts
            .Select(s => (Health: s, Status: policy.StatusOf(s.State)))
            .OrderByDescending(s => CheckPolicy.Severity(s.Status))
            .ThenByDescending(s => s.Health.State)
            .ThenBy(s => s.Health.ScriptName, StringComparer.Ordinal)
            .ToList();
        var worst = rated[0];
        var count = (CheckStatus status) => rated.Count(s => s.Status == status);
        var text = new StringBuilder();
        var unknown = count(CheckStatus.Unknown) > 0 ? $", {count(CheckStatus.Unknown)} unknown" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"{ServiceName} {Name(worst.Status)} - {count(CheckStatus.Critical)} critical, {count(CheckStatus.Warning)} warning{unknown}, {count(CheckStatus.Ok)} ok of {CountText.Of(rated.Count, "script")}");
        if (worst.Status != CheckStatus.Ok)
        {
            text.Append(CultureInfo.InvariantCulture, $": {Clean(worst.Health.ScriptName)} {worst.Health.State}: {Clean(worst.Health.Summary)}");
        }

        text.Append(CultureInfo.InvariantCulture, $" | scripts={rated.Count};;;0");
        foreach (var status in Enum.GetValues<CheckStatus>())
        {
            text.Append(CultureInfo.InvariantCulture, $" {Name(status).ToLowerInvariant()}={count(status)};;;0");
        }

        text.Append('\n');
        foreach (var (health, status) in rated)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Clean(health.ScriptName)}: {Name(status)} {health.State}: {Clean(health.Summary)}\n");
        }

        var perf = rated
            .Where(s => s.Health.LastSuccess is not null)
            .SelectMany(s => new[]
            {
                $"{Label(s.Health.ScriptName + "_age")}={Seconds(now - s.Health.LastSuccess!.StartedAt)}s;;;0",
                // "U" is the plug-in format's value for unknown: a success without a known start has no runtime.
                s.Health.LastSuccess!.Duration is { } took ? $"{Label(s.Health.ScriptName + "_runtime")}={Seconds(took)}s;;;0" : $"{Label(s.Health.ScriptName + "_runtime")}=U;;;0",
            })
            .ToList();
        if (perf.Count > 0)
        {
            text.Append("| ").AppendJoin(' ', perf).Append('\n');
        }

        return new CheckReport(worst.Status, text.ToString());
    }

    /// <summary>The status as a plugin prints it: OK, WARNING, CRITICAL, UNKNOWN.</summary>
    /// <param name="status">The status.</param>
    public static string Name(CheckStatus status) => status.ToString().ToUpperInvariant();

    /// <summary>A pipe starts performance data and a new line starts a detail: neither may appear inside a text.</summary>
    internal static string Clean(string text) => text.Replace('|', '/').Replace('\n', ' ').Replace('\r', ' ');

    private static string Label(string name) => "'" + Clean(name).Replace("'", "''", StringComparison.Ordinal).Replace('=', '_') + "'";

    private static string Seconds(TimeSpan value) => Math.Max(0, Math.Round(value.TotalSeconds, 3)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Prints an instant as the reasons do.</summary>
    internal static string Instant(DateTimeOffset value) => Timestamps.Format(value);
}
