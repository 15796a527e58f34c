using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Maintenance;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// Maintenance windows and pauses, as <c>scriptmon maintenance</c> manages them: reading needs the read scope; adding,
/// replacing and removing need admin and are recorded in the audit list.
/// </summary>
internal static class MaintenanceEndpoints
{
    /// <summary>The audit list's action of an added or replaced window.</summary>
    public const string AuditPut = "maintenance.put";

    /// <summary>The audit list's action of a removed window.</summary>
    public const string AuditDelete = "maintenance.delete";

    /// <summary>The window's fields as the request's JSON names them.</summary>
    internal static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["window.Name"] = "name",
        [StoreMaintenanceWindows.NamePath] = "name",
        ["window.ScriptName"] = "script",
        ["window.Tag"] = "tag",
        ["window.Cron"] = "cron",
        ["window.StartsAt"] = "startsAt",
        ["window.Every"] = "everySeconds",
        ["window.Duration"] = "durationSeconds",
        ["window.TimeZone"] = "timeZone",
    });

    // Beyond this a duration is no window (and beyond TimeSpan's range soon after).

    public static void MapMaintenanceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/maintenance", ListAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Maintenance")
            .WithName("ListMaintenanceWindows")
            .WithSummary("Every maintenance window and pause, by name, with whether it is open now and when it closes or next opens.")
            .Produces<MaintenanceListView>()
            .ProducesReadProblems();
        api.MapPut("/maintenance/{name}", PutAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Maintenance")
            .WithName("PutMaintenanceWindow")
            .WithSummary("Adds a maintenance window or pause; 409 when the name is taken, unless replace=true.")
            .Documents<MaintenanceWindowRequest>()
            .Produces<MaintenanceWindowView>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesReadProblems();
        api.MapDelete("/maintenance/{name}", DeleteAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Maintenance")
            .WithName("DeleteMaintenanceWindow")
            .WithSummary("Removes a maintenance window or pause; removed is false when there was none of that name.")
            .Produces<MaintenanceRemovedView>()
            .ProducesReadProblems();
    }

    private static async Task<Ok<MaintenanceListView>> ListAsync(MonitorServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Maintenance.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<MaintenanceWindowView>, ProblemHttpResult>> PutAsync(
        string name, string? replace, HttpContext http, MonitorServices services, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        var query = new QueryValues();
        var replacing = query.Flag(replace, "replace");
        if (query.Refused)
        {
            return query.BadRequest();
        }

        var (body, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.MaintenanceWindowRequest, optional: false, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var window = WindowOf(name, body!, timeProvider.GetUtcNow(), query);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        try
        {
            if (await services.Maintenance.SaveAsync(window, replacing, cancellationToken).ConfigureAwait(false) is not { } saved)
            {
                return ApiProblems.Conflict($"a maintenance window named '{name}' exists already; give replace=true to replace it");
            }

            await AdminAudit.RecordAsync(http, AuditPut, saved.Name, saved.Change, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(saved);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    private static async Task<Results<Ok<MaintenanceRemovedView>, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        try
        {
            var removed = await services.Maintenance.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            if (removed.Removed)
            {
                await AdminAudit.RecordAsync(http, AuditDelete, removed.Name, null, cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.Ok(removed);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    /// <summary>The window a request describes; as on the command line, one without cron or start opens now.</summary>
    private static MaintenanceWindow WindowOf(string name, MaintenanceWindowRequest body, DateTimeOffset now, QueryValues problems)
    {
        return new MaintenanceWindow(name)
        {
            ScriptName = body.Script,
            Tag = body.Tag,
            Cron = body.Cron,
            StartsAt = body.StartsAt ?? (body.Cron is null ? now : null),
            Every = problems.Seconds(body.EverySeconds, "everySeconds"),
            Duration = problems.Seconds(body.DurationSeconds, "durationSeconds"),
            TimeZone = body.TimeZone ?? CronSchedule.DefaultTimeZone,
        };
    }
}

/// <summary>A maintenance window to add or replace; its name is the route's.</summary>
/// <param name="Script">The script it is for (or <paramref name="Tag"/>).</param>
/// <param name="Tag">The tag of the scripts it is for (or <paramref name="Script"/>).</param>
/// <param name="Cron">Opens at each instant cron would run this expression, in <paramref name="TimeZone"/> (not with <paramref name="StartsAt"/>).</param>
/// <param name="StartsAt">When it first opens, ISO 8601 with offset; default now when there is no <paramref name="Cron"/>.</param>
/// <param name="EverySeconds">Opens again every this many seconds after <paramref name="StartsAt"/>; null for once.</param>
/// <param name="DurationSeconds">How long it stays open each time; null for a pause until it is removed.</param>
/// <param name="TimeZone">The IANA time zone of <paramref name="Cron"/> and of the times reasons show; default UTC.</param>
internal sealed record MaintenanceWindowRequest(
    string? Script,
    string? Tag,
    string? Cron,
    DateTimeOffset? StartsAt,
    double? EverySeconds,
    double? DurationSeconds,
    string? TimeZone);
