using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Views;

/// <summary>A maintenance window as every front end shows it (<c>scriptmon maintenance list --json</c>, the API), with whether it is open now.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Script">The script it is for; null when it is for a tag.</param>
/// <param name="Tag">The tag of the scripts it is for; null when it is for one script.</param>
/// <param name="Kind"><c>cron</c>, <c>interval</c>, <c>once</c> or <c>pause</c>.</param>
/// <param name="Cron">The cron expression naming when it opens, in <paramref name="TimeZone"/>.</param>
/// <param name="StartsAt">When it first opens (or a pause begins).</param>
/// <param name="EverySeconds">How often it opens again after <paramref name="StartsAt"/>; null for once.</param>
/// <param name="DurationSeconds">How long it stays open each time; null for a pause.</param>
/// <param name="TimeZone">The IANA time zone of the cron expression and of the times shown in reasons.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Open">Whether it is open at the instant of the view.</param>
/// <param name="ClosesAt">While open, when it closes; null when closed or a pause.</param>
/// <param name="OpensAt">While closed, when it next opens; null when open or when it never opens again.</param>
public sealed record MaintenanceWindowView(
    string Name,
    string? Script,
    string? Tag,
    string Kind,
    string? Cron,
    string? StartsAt,
    double? EverySeconds,
    double? DurationSeconds,
    string TimeZone,
    string CreatedAt,
    bool Open,
    string? ClosesAt,
    string? OpensAt)
{
    /// <summary>For a change: <c>added</c> or <c>replaced</c>; null in a listing.</summary>
    public string? Change { get; init; }

    /// <summary>The view of a window at an instant.</summary>
    /// <param name="window">The window.</param>
    /// <param name="now">The instant <see cref="Open"/>, <see cref="ClosesAt"/> and <see cref="OpensAt"/> are for.</param>
    /// <param name="change">What a change did, or null.</param>
    public static MaintenanceWindowView From(MaintenanceWindow window, DateTimeOffset now, string? change = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        var (open, closes, opens) = Times(window, now);
        return new MaintenanceWindowView(
            window.Name,
            window.ScriptName,
            window.Tag,
            KindOf(window),
            window.Cron,
            Iso(window.StartsAt),
            window.Every is { } every ? Seconds.Of(every) : null,
            window.Duration is { } duration ? Seconds.Of(duration) : null,
            window.TimeZone,
            Timestamps.FormatIso(window.CreatedAt),
            open,
            Iso(closes),
            Iso(opens))
        {
            Change = change,
        };
    }

    /// <summary>The kind of a window as front ends name it.</summary>
    /// <param name="window">The window.</param>
    public static string KindOf(MaintenanceWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window switch
        {
            { Duration: null } => "pause",
            { Cron: not null } => "cron",
            { Every: not null } => "interval",
            _ => "once",
        };
    }

    /// <summary>
    /// Whether the window is open, and when it closes or opens; a stored window this machine cannot read (its zone
    /// is gone from the tz database) is listed as closed with neither, so that it can still be seen and removed.
    /// </summary>
    private static (bool Open, DateTimeOffset? Closes, DateTimeOffset? Opens) Times(MaintenanceWindow window, DateTimeOffset now)
    {
        try
        {
            return window.IsOpenAt(now) ? (true, window.ClosesAt(now), null) : (false, null, window.NextOpeningAfter(now));
        }
        catch (Runs.ValidationException)
        {
            return (false, null, null);
        }
    }

    private static string? Iso(DateTimeOffset? instant) => instant is { } value ? Timestamps.FormatIso(value) : null;
}

/// <summary>Every maintenance window of a store, by name.</summary>
/// <param name="Store">The store, as <c>db info</c> names it.</param>
/// <param name="Windows">The windows.</param>
public sealed record MaintenanceListView(string Store, IReadOnlyList<MaintenanceWindowView> Windows);

/// <summary>The answer to a removal.</summary>
/// <param name="Name">The window's name.</param>
/// <param name="Removed">True when there was one to remove.</param>
public sealed record MaintenanceRemovedView(string Name, bool Removed);
