using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Alerts;

/// <summary>
/// The rules every store applies to what the alert loop writes, at its public edge: every broken rule of one object is
/// reported at once, naming the field by its path (<c>window.Duration</c>, <c>notifications[2].ChannelName</c>).
/// A null argument itself is an <see cref="ArgumentNullException"/>: a bug, not input.
/// </summary>
internal static class AlertValidation
{
    /// <summary>The shortest lease: a tick shorter than this cannot renew it in time.</summary>
    internal static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(1);

    /// <summary>The longest lease: a dead leader must not silence alerts for longer.</summary>
    internal static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromHours(1);

    /// <summary>The shortest repeat: more often than this is noise, not a reminder.</summary>
    internal static readonly TimeSpan MinRepeatEvery = TimeSpan.FromMinutes(1);

    /// <summary>The longest repeat, window duration and window interval.</summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>The shortest window and window interval: stores keep microseconds, and a window must be open at all.</summary>
    internal static readonly TimeSpan MinWindowDuration = TimeSpan.FromSeconds(1);

    /// <summary>How many settings, secrets, tags or script names a channel holds at most.</summary>
    internal const int MaxChannelItems = 100;

    /// <summary>The longest setting or secret value (a body template is the longest of them).</summary>
    internal const int MaxValueLength = 65_536;

    /// <summary>The longest payload of a notification.</summary>
    internal const int MaxPayloadLength = 1_048_576;

    /// <summary>The longest error kept of an attempt; a longer one keeps its end, where the cause usually is.</summary>
    internal const int MaxErrorLength = 4_096;

    internal static string Holder(string? holder, string path) => Valid(holder!, RunValidation.IdentifierError(holder, path, "instance id"));

    internal static TimeSpan LeaseDuration(TimeSpan duration, string path) =>
        Valid(duration, RangeError(duration, MinLeaseDuration, MaxLeaseDuration, path));

    internal static LeaderLease Lease(LeaderLease lease, string path)
    {
        ArgumentNullException.ThrowIfNull(lease, path);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.IdentifierError(lease.Holder, $"{path}.Holder", "instance id"));
        errors.Add(lease.Token < 1 ? new FieldError($"{path}.Token", FieldRules.Range, $"{path}.Token must be 1 or more (it is {lease.Token}).") : null);
        errors.ThrowIfAny();
        return lease with { ExpiresAt = Timestamps.Normalize(lease.ExpiresAt) };
    }

    internal static long Sequence(long afterSequence, string path) =>
        Valid(afterSequence, afterSequence < 0 ? new FieldError(path, FieldRules.Range, $"{path} must be 0 or more (it is {afterSequence}).") : null);

    internal static string? OptionalName(string? name, string path, string what) =>
        name is null ? null : Valid(name, RunValidation.IdentifierError(name, path, what));

    internal static string Name(string? name, string path, string what) => Valid(name!, RunValidation.IdentifierError(name, path, what));

    internal static StateFlip Flip(StateFlip flip, string path, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flip, path);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.ScriptNameError(flip.ScriptName, $"{path}.ScriptName"));
        errors.Add(RunValidation.InstantError(flip.At, $"{path}.At", now));
        errors.Add(flip.From is { } from && !Enum.IsDefined(from) ? StateError($"{path}.From") : null);
        errors.Add(!Enum.IsDefined(flip.To) ? StateError($"{path}.To") : null);
        if (flip.Reason is null)
        {
            errors.Add(new FieldError($"{path}.Reason", FieldRules.Required, $"{path}.Reason must be given."));
        }
        else
        {
            errors.Add(!Enum.IsDefined(flip.Reason.State) ? StateError($"{path}.Reason.State") : null);
            errors.Add(flip.Reason.Hostname is { } host ? RunValidation.IdentifierError(host, $"{path}.Reason.Hostname", "host name") : null);
            errors.Add(flip.Reason.Message is null ? new FieldError($"{path}.Reason.Message", FieldRules.Required, $"{path}.Reason.Message must be given.") : null);
            errors.Add(flip.Reason.Facts is null ? new FieldError($"{path}.Reason.Facts", FieldRules.Required, $"{path}.Reason.Facts must be given; use HealthFacts.None for none.") : null);
        }

        errors.ThrowIfAny();
        return flip with { Id = 0, At = Timestamps.Normalize(flip.At) };
    }

    /// <summary>Checks notifications for the outbox and returns them as they are written: pending, no attempts, due at once unless a later first attempt is asked for.</summary>
    internal static List<Notification> Notifications(IReadOnlyList<Notification> notifications, string path, DateTimeOffset now, string? scriptName = null)
    {
        ArgumentNullException.ThrowIfNull(notifications, path);
        var errors = new FieldErrorList();
        var result = new List<Notification>(notifications.Count);
        var ids = new HashSet<Guid>();
        for (var i = 0; i < notifications.Count; i++)
        {
            var item = $"{path}[{i}]";
            var n = notifications[i] ?? throw new ArgumentNullException(path, $"{item} is null.");
            errors.Add(n.EventId == Guid.Empty ? new FieldError($"{item}.EventId", FieldRules.Required, $"{item}.EventId must not be the empty id.") : null);
            errors.Add(n.EventId != Guid.Empty && !ids.Add(n.EventId) ? new FieldError($"{item}.EventId", FieldRules.Duplicate, $"{item}.EventId {n.EventId} is given twice.") : null);
            errors.Add(RunValidation.IdentifierError(n.ChannelName, $"{item}.ChannelName", "channel name"));
            errors.Add(RunValidation.ScriptNameError(n.ScriptName, $"{item}.ScriptName"));
            if (scriptName is not null && n.ScriptName is not null && !string.Equals(n.ScriptName, scriptName, StringComparison.Ordinal))
            {
                errors.Add(new FieldError($"{item}.ScriptName", FieldRules.MatchesFlip, $"{item}.ScriptName must be the flip's script '{scriptName}' (it is '{n.ScriptName}')."));
            }

            errors.Add(!Enum.IsDefined(n.Kind) ? new FieldError($"{item}.Kind", FieldRules.Choice, $"{item}.Kind must be one of {string.Join(", ", Enum.GetNames<NotificationKind>())}.") : null);
            errors.Add(RunValidation.InstantError(n.CreatedAt, $"{item}.CreatedAt", now));
            errors.Add(n.NextAttemptAt is { } next ? RunValidation.InstantError(next, $"{item}.NextAttemptAt", now) : null);
            errors.Add(TextError(n.Payload, $"{item}.Payload", MaxPayloadLength));
            result.Add(n with
            {
                CreatedAt = Timestamps.Normalize(n.CreatedAt),
                NextAttemptAt = Timestamps.Normalize(n.NextAttemptAt ?? n.CreatedAt),
                Status = NotificationStatus.Pending,
                Attempts = 0,
                LastError = null,
                DeliveredAt = null,
            });
        }

        errors.ThrowIfAny();
        return result;
    }

    internal static DeliveryOutcome Outcome(DeliveryOutcome outcome, string path, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcome, path);
        var errors = new FieldErrorList();
        errors.Add(outcome.EventId == Guid.Empty ? new FieldError($"{path}.EventId", FieldRules.Required, $"{path}.EventId must not be the empty id.") : null);
        errors.Add(RunValidation.InstantError(outcome.AttemptedAt, $"{path}.AttemptedAt", now));
        if (outcome.Delivered)
        {
            errors.Add(outcome.Error is not null ? new FieldError($"{path}.Error", FieldRules.MatchesOutcome, $"{path}.Error must be null when the notification was delivered.") : null);
            errors.Add(outcome.RetryAt is not null ? new FieldError($"{path}.RetryAt", FieldRules.MatchesOutcome, $"{path}.RetryAt must be null when the notification was delivered.") : null);
            errors.Add(outcome.ChannelGone ? new FieldError($"{path}.ChannelGone", FieldRules.MatchesOutcome, $"{path}.ChannelGone must be false when the notification was delivered.") : null);
        }
        else
        {
            errors.Add(string.IsNullOrEmpty(outcome.Error) ? new FieldError($"{path}.Error", FieldRules.Required, $"{path}.Error must say what went wrong when the notification was not delivered.") : null);
            errors.Add(outcome.ChannelGone && outcome.RetryAt is not null ? new FieldError($"{path}.RetryAt", FieldRules.MatchesOutcome, $"{path}.RetryAt must be null when the channel is gone.") : null);
            errors.Add(outcome.RetryAt is { } retry && retry < outcome.AttemptedAt ? new FieldError($"{path}.RetryAt", FieldRules.NotBeforeStart, $"{path}.RetryAt must not be before {path}.AttemptedAt.") { OtherPath = $"{path}.AttemptedAt" } : null);
        }

        errors.ThrowIfAny();
        return outcome with
        {
            AttemptedAt = Timestamps.Normalize(outcome.AttemptedAt),
            RetryAt = outcome.RetryAt is { } r ? Timestamps.Normalize(r) : null,
            Error = outcome.Error is { Length: > MaxErrorLength } e ? e[^MaxErrorLength..] : outcome.Error,
        };
    }

    internal static AlertChannel Channel(AlertChannel channel, string path, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(channel, path);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.IdentifierError(channel.Name, $"{path}.Name", "channel name"));
        errors.Add(!Enum.IsDefined(channel.Kind) ? new FieldError($"{path}.Kind", FieldRules.Choice, $"{path}.Kind must be one of {string.Join(", ", Enum.GetNames<ChannelKind>())}.") : null);
        Values(channel.Settings, $"{path}.Settings", errors);
        Values(channel.Secrets, $"{path}.Secrets", errors);
        var tags = Names(channel.Tags, $"{path}.Tags", "tag", errors);
        var scripts = Names(channel.ScriptNames, $"{path}.ScriptNames", "script name", errors);
        errors.Add(channel.RepeatEvery is { } repeat ? RangeError(repeat, MinRepeatEvery, MaxDuration, $"{path}.RepeatEvery") : null);
        errors.Add(channel.CreatedAt == default ? null : RunValidation.InstantError(channel.CreatedAt, $"{path}.CreatedAt", now));
        errors.Add(channel.BrokenSince is { } broken ? RunValidation.InstantError(broken, $"{path}.BrokenSince", now) : null);
        errors.ThrowIfAny();
        return channel with
        {
            Settings = new SortedDictionary<string, string>(channel.Settings.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
            Secrets = new SortedDictionary<string, string>(channel.Secrets.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
            Tags = tags!,
            ScriptNames = scripts!,
            RepeatEvery = channel.RepeatEvery is { } r ? Microseconds(r) : null,
            CreatedAt = Timestamps.Normalize(channel.CreatedAt == default ? now : channel.CreatedAt),
            BrokenSince = channel.BrokenSince is { } b ? Timestamps.Normalize(b) : null,
            BrokenReason = channel.BrokenSince is null ? null : channel.BrokenReason,
        };
    }

    internal static MaintenanceWindow Window(MaintenanceWindow window, string path, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window, path);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.IdentifierError(window.Name, $"{path}.Name", "window name"));
        if ((window.ScriptName is null) == (window.Tag is null))
        {
            errors.Add(new FieldError($"{path}.ScriptName", FieldRules.OneOf, $"{path}.ScriptName or {path}.Tag must be given, not both.") { OtherPath = $"{path}.Tag" });
        }
        else
        {
            errors.Add(window.ScriptName is { } script ? RunValidation.ScriptNameError(script, $"{path}.ScriptName") : null);
            errors.Add(window.Tag is { } tag ? RunValidation.IdentifierError(tag, $"{path}.Tag", "tag") : null);
        }

        if (window.Cron is not null)
        {
            errors.Add(window.StartsAt is not null ? new FieldError($"{path}.StartsAt", FieldRules.OneOf, $"{path}.StartsAt must not be given with {path}.Cron.") { OtherPath = $"{path}.Cron" } : null);
            errors.Add(window.Every is not null ? new FieldError($"{path}.Every", FieldRules.OneOf, $"{path}.Every must not be given with {path}.Cron.") { OtherPath = $"{path}.Cron" } : null);
            errors.Add(window.Duration is null ? new FieldError($"{path}.Duration", FieldRules.Required, $"{path}.Duration must be given with {path}.Cron.") : null);
        }
        else
        {
            errors.Add(window.StartsAt is null ? new FieldError($"{path}.StartsAt", FieldRules.Required, $"{path}.StartsAt or {path}.Cron must be given.") { OtherPath = $"{path}.Cron" } : null);
            errors.Add(window.Every is not null && window.Duration is null ? new FieldError($"{path}.Duration", FieldRules.Required, $"{path}.Duration must be given with {path}.Every.") : null);
        }

        errors.Add(window.StartsAt is { } starts && starts < Timestamps.Earliest
            ? new FieldError($"{path}.StartsAt", FieldRules.NotBefore1970, $"{path}.StartsAt must not be before {Timestamps.Format(Timestamps.Earliest)}.")
            : null);
        errors.Add(window.Every is { } every ? RangeError(every, MinWindowDuration, MaxDuration, $"{path}.Every") : null);
        errors.Add(window.Duration is { } duration ? RangeError(duration, MinWindowDuration, MaxDuration, $"{path}.Duration") : null);
        if (window.Every is { } e && window.Duration is { } d && d > e)
        {
            errors.Add(new FieldError($"{path}.Duration", FieldRules.Range, $"{path}.Duration ({DurationText.Format(d)}) must not be longer than {path}.Every ({DurationText.Format(e)}).") { OtherPath = $"{path}.Every" });
        }

        ZoneAndCron(window, path, errors);
        errors.Add(window.CreatedAt == default ? null : RunValidation.InstantError(window.CreatedAt, $"{path}.CreatedAt", now));
        errors.ThrowIfAny();
        return window with
        {
            StartsAt = window.StartsAt is { } s ? Timestamps.Normalize(s) : null,
            Every = window.Every is { } ev ? Microseconds(ev) : null,
            Duration = window.Duration is { } du ? Microseconds(du) : null,
            CreatedAt = Timestamps.Normalize(window.CreatedAt == default ? now : window.CreatedAt),
        };
    }

    private static void ZoneAndCron(MaintenanceWindow window, string path, FieldErrorList errors)
    {
        if (window.TimeZone is null)
        {
            errors.Add(new FieldError($"{path}.TimeZone", FieldRules.Required, $"{path}.TimeZone must be given: an IANA time zone such as UTC or Europe/Berlin."));
            return;
        }

        // A cron schedule checks its expression and its zone by the same rules as an expectation's, so a window takes what a schedule takes.
        try
        {
            _ = new CronSchedule(window.Cron ?? "0 0 * * *", window.TimeZone);
        }
        catch (ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                var field = error.Path == CronSchedule.TimeZoneParameter ? $"{path}.TimeZone" : $"{path}.Cron";
                errors.Add(error with { Path = field, Message = error.Describe(_ => field) });
            }
        }
    }

    private static void Values(IReadOnlyDictionary<string, string>? values, string path, FieldErrorList errors)
    {
        if (values is null)
        {
            errors.Add(new FieldError(path, FieldRules.Required, $"{path} must be given; use an empty dictionary for none."));
            return;
        }

        if (values.Count > MaxChannelItems)
        {
            errors.Add(new FieldError(path, FieldRules.Count, $"{path} must hold at most {MaxChannelItems} entries (it holds {values.Count})."));
            return;
        }

        foreach (var (key, value) in values)
        {
            var item = $"{path}[{key}]";
            errors.Add(RunValidation.IdentifierError(key, item, "setting name"));
            errors.Add(TextError(value, item, MaxValueLength));
        }
    }

    private static List<string>? Names(IReadOnlyList<string>? names, string path, string what, FieldErrorList errors)
    {
        if (names is null)
        {
            errors.Add(new FieldError(path, FieldRules.Required, $"{path} must be given; use an empty list for none."));
            return null;
        }

        if (names.Count > MaxChannelItems)
        {
            errors.Add(new FieldError(path, FieldRules.Count, $"{path} must hold at most {MaxChannelItems} items (it holds {names.Count})."));
            return null;
        }

        var sorted = new List<string>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            if (!errors.Add(RunValidation.IdentifierError(names[i], $"{path}[{i}]", what)))
            {
                sorted.Add(names[i]);
            }
        }

        sorted.Sort(StringComparer.Ordinal);
        for (var i = 1; i < sorted.Count; i++)
        {
            if (string.Equals(sorted[i], sorted[i - 1], StringComparison.Ordinal) && (i == 1 || !string.Equals(sorted[i], sorted[i - 2], StringComparison.Ordinal)))
            {
                errors.Add(new FieldError(path, FieldRules.Duplicate, $"{path} must not hold '{sorted[i]}' twice."));
            }
        }

        return sorted;
    }

    private static FieldError? TextError(string? value, string path, int maxLength)
    {
        if (value is null)
        {
            return new FieldError(path, FieldRules.Required, $"{path} must be given.");
        }

        return value.Length > maxLength ? new FieldError(path, FieldRules.Length, $"{path} must be at most {maxLength} characters long (it is {value.Length}).") : null;
    }

    private static FieldError StateError(string path) =>
        new(path, FieldRules.Choice, $"{path} must be one of {string.Join(", ", Enum.GetNames<HealthState>())}.");

    private static FieldError? RangeError(TimeSpan value, TimeSpan min, TimeSpan max, string path) =>
        value < min || value > max
            ? new FieldError(path, FieldRules.Range, $"{path} must be between {DurationText.Format(min)} and {DurationText.Format(max)} (it is {DurationText.Format(value)}).")
            : null;

    private static T Valid<T>(T value, FieldError? error) => error is null ? value : throw new ValidationException([error]);

    private static TimeSpan Microseconds(TimeSpan value) => TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond));
}
