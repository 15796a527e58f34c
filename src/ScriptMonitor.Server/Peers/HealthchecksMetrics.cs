using System.Globalization;
using System.Text;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// Healthchecks' Prometheus endpoint: <c>/hc/projects/ID/metrics/KEY</c> (and its older form
/// <c>…/checks/metrics/KEY</c>), or <c>/hc/projects/ID/metrics/</c> with <c>Authorization: Bearer KEY</c>, for a
/// read key. The <c>hc_*</c> gauges and labels are Healthchecks' own, word for word, so that its dashboards and
/// alert rules keep working; ScriptMonitor adds, under its own prefix, what Healthchecks does not keep: when each
/// check last succeeded and how long that run took. One installation is one project: any project id is accepted.
/// </summary>
internal static class HealthchecksMetrics
{
    public static void MapHealthchecksMetrics(this WebApplication app)
    {
        var project = RoutePrefixes.Healthchecks + "/projects/{project}";
        app.MapGet(project + "/metrics/{key}", (string key, HttpContext http, ServerStore store, MonitorServices services) => AnswerAsync(key, http, store, services)).ExcludeFromDescription();
        app.MapGet(project + "/checks/metrics/{key}", (string key, HttpContext http, ServerStore store, MonitorServices services) => AnswerAsync(key, http, store, services)).ExcludeFromDescription();
        app.MapGet(project + "/metrics", BearerAsync).ExcludeFromDescription();
    }

    private static Task<IResult> BearerAsync(HttpContext http, ServerStore store, MonitorServices services)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? AnswerAsync(header["Bearer ".Length..].Trim(), http, store, services)
            : Task.FromResult(Results.StatusCode(StatusCodes.Status401Unauthorized));
    }

    private static async Task<IResult> AnswerAsync(string key, HttpContext http, ServerStore store, MonitorServices services)
    {
        // As Healthchecks: what cannot be a key is a bad request, a key that is not a read key is forbidden.
        if (key.Length != KeyService.HealthchecksKeyLength && key.Length != KeyService.KeyLength)
        {
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        var caller = await http.RequestServices.GetRequiredService<ICallerKeys>().FindAsync(key, http.RequestAborted).ConfigureAwait(false);
        if (caller?.Key?.Scope != KeyScope.Read)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var checks = await HealthchecksApi.ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false);
        return Results.Text(Write(checks), "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8);
    }

    private static string Write(List<HealthchecksApi.Check> checks)
    {
        var rows = checks.Select(c =>
        {
            var tags = c.Expectation?.Tags ?? [];
            var status = HealthchecksApi.StatusOf(c.Status?.Health, c.Expectation?.Paused ?? false);
            var uniqueKey = HealthchecksApi.UniqueKey(c.Identity.PingId);
            var labels = $"{{name=\"{Escape(c.Identity.ScriptName)}\", tags=\"{Escape(string.Join(' ', tags))}\", unique_key=\"{uniqueKey}\"}}";
            return (Check: c, Tags: tags, Status: status, Labels: labels, UniqueKey: uniqueKey);
        }).ToList();
        var text = new StringBuilder();
        void Family(string name, string help, Func<(HealthchecksApi.Check Check, IReadOnlyList<string> Tags, string Status, string Labels, string UniqueKey), int> value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" gauge\n");
            foreach (var row in rows)
            {
                text.Append(name).Append(row.Labels).Append(' ').Append(value(row).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append('\n');
        }

        Family("hc_check_up", "Whether the check is currently up (1 for yes, 0 for no).", r => r.Status == "down" ? 0 : 1);
        Family("hc_check_started", "Whether the check is currently started (1 for yes, 0 for no).", r => r.Check.Started ? 1 : 0);
        Family("hc_check_grace", "Whether the check is currently in the grace period (1 for yes, 0 for no).", r => r.Status == "grace" ? 1 : 0);
        Family("hc_check_paused", "Whether the check is currently paused (1 for yes, 0 for no).", r => r.Status == "paused" ? 1 : 0);

        var allTags = new SortedSet<string>(rows.SelectMany(r => r.Tags), StringComparer.Ordinal);
        var downTags = rows.Where(r => r.Status == "down").SelectMany(r => r.Tags).ToHashSet(StringComparer.Ordinal);
        text.Append("# HELP hc_tag_up Whether all checks with this tag are up (1 for yes, 0 for no).\n");
        text.Append("# TYPE hc_tag_up gauge\n");
        foreach (var tag in allTags)
        {
            text.Append("hc_tag_up{tag=\"").Append(Escape(tag)).Append("\"} ").Append(downTags.Contains(tag) ? '0' : '1').Append('\n');
        }

        text.Append('\n');
        text.Append("# HELP hc_checks_total The total number of checks.\n");
        text.Append("# TYPE hc_checks_total gauge\n");
        text.Append("hc_checks_total ").Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append('\n');
        text.Append("# HELP hc_checks_down_total The number of checks currently down.\n");
        text.Append("# TYPE hc_checks_down_total gauge\n");
        text.Append("hc_checks_down_total ").Append(rows.Count(r => r.Status == "down").ToString(CultureInfo.InvariantCulture)).Append('\n');

        // ScriptMonitor's own series: what Healthchecks users asked for (its issues 392, 959) and it does not keep.
        text.Append('\n');
        text.Append("# HELP scriptmon_check_last_success_timestamp_seconds When the check's last successful run completed, in Unix seconds.\n");
        text.Append("# TYPE scriptmon_check_last_success_timestamp_seconds gauge\n");
        foreach (var row in rows)
        {
            if (row.Check.Status?.LastSuccess?.CompletedAt is { } completed)
            {
                var at = DateTimeOffset.Parse(completed, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() / 1000.0;
                text.Append("scriptmon_check_last_success_timestamp_seconds").Append(OwnLabels(row.Check, row.UniqueKey)).Append(' ').Append(at.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        text.Append('\n');
        text.Append("# HELP scriptmon_check_last_duration_seconds How long the check's last successful run took, in seconds.\n");
        text.Append("# TYPE scriptmon_check_last_duration_seconds gauge\n");
        foreach (var row in rows)
        {
            if (row.Check.Status?.LastSuccess?.DurationSeconds is { } took)
            {
                text.Append("scriptmon_check_last_duration_seconds").Append(OwnLabels(row.Check, row.UniqueKey)).Append(' ').Append(took.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string OwnLabels(HealthchecksApi.Check check, string uniqueKey) =>
        $"{{name=\"{Escape(check.Identity.ScriptName)}\", unique_key=\"{uniqueKey}\"}}";

    /// <summary>Healthchecks' escaping of a label value: backslash, double quote, newline.</summary>
    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
