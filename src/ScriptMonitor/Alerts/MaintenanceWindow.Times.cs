using System.Collections.Concurrent;
using System.Globalization;
using ScriptMonitor.Health;

namespace ScriptMonitor.Alerts;

/// <summary>When a window is open: the one answer the evaluation, the alert loop and every listing read.</summary>
/// <remarks>
/// An opening lasts from its start for <see cref="Duration"/> of elapsed time, the end excluded. A cron window's
/// openings are the instants its expression names in <see cref="TimeZone"/>, clock changes taken as Debian's cron
/// takes them (<see cref="CronSchedule"/>); openings that overlap or touch run together into one. An interval
/// window's openings are <see cref="StartsAt"/> plus whole multiples of <see cref="Every"/>, in elapsed time, so
/// a change of the clock neither moves nor skips one (a window that follows the wall clock is a cron window).
/// The methods expect a window that passed <see cref="MaintenanceWindowValidation.Validate"/>.
/// </remarks>
public sealed partial record MaintenanceWindow
{
    /// <summary>
    /// How many overlapping openings of a cron window are run together when its end is asked for: a window that
    /// opens every minute for two minutes never closes, and past this many its end is given as that of the last
    /// opening followed, which the alert loop then asks again.
    /// </summary>
    internal const int MaxJoinedOpenings = 1_000;

    private static readonly ConcurrentDictionary<(string Expression, string Zone), CronSchedule> Schedules = new();

    /// <summary>True for a pause: a window without a duration, open from <see cref="StartsAt"/> until it is removed.</summary>
    public bool IsPause => Duration is null;

    /// <summary>Whether the window is for the script: named by it, or by one of the tags of its expectation.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="tags">The tags of its expectation; empty without one.</param>
    public bool AppliesTo(string scriptName, IReadOnlyCollection<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return ScriptName is not null
            ? string.Equals(ScriptName, scriptName, StringComparison.Ordinal)
            : Tag is not null && tags.Contains(Tag, StringComparer.Ordinal);
    }

    /// <summary>Whether the window is open at <paramref name="instant"/>.</summary>
    /// <param name="instant">Any instant.</param>
    /// <exception cref="Runs.ValidationException">The window's cron expression or time zone cannot be read on this machine.</exception>
    public bool IsOpenAt(DateTimeOffset instant) => OpeningAt(instant) is not null;

    /// <summary>
    /// When the opening in force at <paramref name="instant"/> ends (overlapping openings run together); null when
    /// the window is closed then, or is a pause, which ends only when it is removed.
    /// </summary>
    /// <param name="instant">Any instant.</param>
    /// <exception cref="Runs.ValidationException">The window's cron expression or time zone cannot be read on this machine.</exception>
    public DateTimeOffset? ClosesAt(DateTimeOffset instant) => OpeningAt(instant)?.End;

    /// <summary>The first opening that starts strictly after <paramref name="instant"/>; null when there is none.</summary>
    /// <param name="instant">Any instant.</param>
    /// <exception cref="Runs.ValidationException">The window's cron expression or time zone cannot be read on this machine.</exception>
    public DateTimeOffset? NextOpeningAfter(DateTimeOffset instant)
    {
        if (Cron is not null)
        {
            return Schedule().Next(instant);
        }

        var start = StartsAt!.Value;
        if (instant < start)
        {
            return start;
        }

        if (Every is not { } every)
        {
            return null;
        }

        var count = ((instant - start).Ticks / every.Ticks) + 1;
        return count > (DateTimeOffset.MaxValue - start).Ticks / every.Ticks ? null : start + TimeSpan.FromTicks(count * every.Ticks);
    }

    /// <summary>
    /// The first instant after <paramref name="instant"/> at which the window opens or closes: the end of the opening
    /// in force, else the next opening. Null when nothing changes any more (a pause that has begun, a window whose
    /// only opening is over). The alert loop wakes a script then.
    /// </summary>
    /// <param name="instant">Any instant.</param>
    /// <exception cref="Runs.ValidationException">The window's cron expression or time zone cannot be read on this machine.</exception>
    public DateTimeOffset? NextChangeAfter(DateTimeOffset instant) =>
        OpeningAt(instant) is { } opening ? opening.End : NextOpeningAfter(instant);

    /// <summary>An instant as the window's zone reads it, with its offset and the zone: <c>2026-03-29 04:00:00+02:00 (Europe/Berlin)</c>.</summary>
    /// <param name="instant">Any instant.</param>
    /// <exception cref="Runs.ValidationException">The window's time zone cannot be read on this machine.</exception>
    public string FormatInZone(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, CronSchedule.FindZone(TimeZone));
        return local.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture) + $" ({TimeZone})";
    }

    /// <summary>The opening in force at <paramref name="instant"/>, its end null for a pause; null when closed.</summary>
    private (DateTimeOffset Start, DateTimeOffset? End)? OpeningAt(DateTimeOffset instant)
    {
        if (Cron is not null)
        {
            return CronOpeningAt(instant);
        }

        var start = StartsAt!.Value;
        if (instant < start)
        {
            return null;
        }

        if (Duration is not { } duration)
        {
            return (start, null);
        }

        if (Every is { } every)
        {
            start += TimeSpan.FromTicks((instant - start).Ticks / every.Ticks * every.Ticks);
        }

        var end = Add(start, duration);
        return instant < end ? (start, end) : null;
    }

    private (DateTimeOffset Start, DateTimeOffset? End)? CronOpeningAt(DateTimeOffset instant)
    {
        var schedule = Schedule();
        var duration = Duration!.Value;

        // The latest opening ends last: when it does not cover the instant, no earlier one does.
        if (schedule.Previous(instant) is not { } start || Add(start, duration) is var end && instant >= end)
        {
            return null;
        }

        var cursor = start;
        for (var joined = 1; joined < MaxJoinedOpenings && schedule.Next(cursor) is { } next && next <= end; joined++)
        {
            end = Add(next, duration);
            cursor = next;
        }

        return (start, end);
    }

    private CronSchedule Schedule() =>
        Schedules.GetOrAdd((Cron!, TimeZone), static key => new CronSchedule(key.Expression, key.Zone));

    private static DateTimeOffset Add(DateTimeOffset instant, TimeSpan duration) =>
        DateTimeOffset.MaxValue - instant < duration ? DateTimeOffset.MaxValue : instant + duration;
}
