namespace ScriptMonitor.Alerts;

/// <summary>
/// A time when a script, or every script with a tag, is not expected to behave: while a window is open the script's
/// state is <see cref="Health.HealthState.Maintenance"/> and nothing is notified; a script still down when it closes is
/// notified then. A window is open once (<see cref="StartsAt"/> for <see cref="Duration"/>), or again and again: from
/// each instant a cron expression names in a time zone, or every <see cref="Every"/> from <see cref="StartsAt"/>.
/// A window without a duration is a pause until it is removed, shown as <see cref="Health.HealthState.Paused"/>.
/// </summary>
/// <param name="Name">Its name, unique among windows, by the rules of a script's name.</param>
public sealed partial record MaintenanceWindow(string Name)
{
    /// <summary>The script it is for; null when it is for a tag. Exactly one of this and <see cref="Tag"/> is set.</summary>
    public string? ScriptName { get; init; }

    /// <summary>The tag of the scripts it is for; null when it is for one script.</summary>
    public string? Tag { get; init; }

    /// <summary>A five-field cron expression naming when it opens, in <see cref="TimeZone"/>; null for a window by instant.</summary>
    public string? Cron { get; init; }

    /// <summary>When it first opens (UTC); required without <see cref="Cron"/>, not allowed with it.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>How often it opens again after <see cref="StartsAt"/>; null for once. Not allowed with <see cref="Cron"/>.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>How long it stays open each time; null for a pause until the window is removed (no <see cref="Cron"/> nor <see cref="Every"/> then).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The IANA time zone of <see cref="Cron"/> and of the times notifications print; UTC by default.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>When it was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
