using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Alerts;

/// <summary>
/// The rules a maintenance window follows before it is stored. Every field is checked and every broken rule is
/// reported in one <see cref="ValidationException"/> whose errors name the fields (<c>window.Duration</c>,
/// <c>window.Cron</c>, <c>window.TimeZone</c>) as <see cref="ExpectationValidation"/> does for an expectation.
/// </summary>
public static class MaintenanceWindowValidation
{
    /// <summary>
    /// The shortest interval: cron starts jobs a minute apart at the most, and a window that opens more often would
    /// have the evaluation woken for it more often than any job could change.
    /// </summary>
    internal static readonly TimeSpan MinEvery = TimeSpan.FromMinutes(1);

    private const string Name = "window.Name";
    private const string Script = "window.ScriptName";
    private const string Tag = "window.Tag";
    private const string Cron = "window.Cron";
    private const string StartsAt = "window.StartsAt";
    private const string Every = "window.Every";
    private const string Duration = "window.Duration";
    private const string Zone = "window.TimeZone";

    /// <summary>Checks every field of a window at once and returns it with its instants, durations and texts normalized.</summary>
    /// <param name="window">The window as given.</param>
    /// <exception cref="ValidationException">One or more fields break a rule; every broken rule is listed.</exception>
    public static MaintenanceWindow Validate(MaintenanceWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.IdentifierError(window.Name, Name, "window name"));
        Target(window, errors);
        var cron = CronAndZone(window, errors);
        Start(window, errors);
        Durations(window, errors);
        errors.ThrowIfAny();
        return window with
        {
            Cron = cron,
            StartsAt = window.StartsAt is { } start ? Timestamps.Normalize(start) : null,
            Every = window.Every is { } every ? Microseconds(every) : null,
            Duration = window.Duration is { } duration ? Microseconds(duration) : null,
            TimeZone = window.TimeZone.Trim(),
            CreatedAt = Timestamps.Normalize(window.CreatedAt),
        };
    }

    private static void Target(MaintenanceWindow window, FieldErrorList errors)
    {
        if ((window.ScriptName is null) == (window.Tag is null))
        {
            var which = window.ScriptName is null ? "one of them must be given" : "not both";
            errors.Add(new FieldError(Script, FieldRules.OneOf, $"{Script} or {Tag} must name what the window is for: {which}.") { OtherPath = Tag });
            return;
        }

        errors.Add(window.ScriptName is { } script ? RunValidation.ScriptNameError(script, Script) : RunValidation.IdentifierError(window.Tag, Tag, "tag"));
    }

    private static string? CronAndZone(MaintenanceWindow window, FieldErrorList errors)
    {
        if (window.TimeZone is null)
        {
            errors.Add(new FieldError(Zone, FieldRules.Required, $"{Zone} must be an IANA time zone such as Europe/Berlin; it is null."));
            return window.Cron;
        }

        if (window.Cron is null)
        {
            try
            {
                CronSchedule.FindZone(window.TimeZone.Trim());
            }
            catch (ValidationException e)
            {
                Rename(e, errors);
            }

            return null;
        }

        try
        {
            return new CronSchedule(window.Cron, window.TimeZone).Expression;
        }
        catch (ValidationException e)
        {
            Rename(e, errors);
            return window.Cron;
        }
    }

    /// <summary>The schedule names its own parameters (expression, timeZone); here they are fields of the window.</summary>
    private static void Rename(ValidationException e, FieldErrorList errors)
    {
        foreach (var error in e.Errors)
        {
            var path = error.Path == CronSchedule.TimeZoneParameter ? Zone : Cron;
            errors.Add(error with { Path = path, Message = error.Describe(_ => path) });
        }
    }

    private static void Start(MaintenanceWindow window, FieldErrorList errors)
    {
        if (window.Cron is null && window.StartsAt is null)
        {
            errors.Add(new FieldError(StartsAt, FieldRules.Required, $"{StartsAt} or {Cron} must say when the window opens; a pause starts at an instant too.") { OtherPath = Cron });
        }
        else if (window.Cron is not null && window.StartsAt is not null)
        {
            errors.Add(new FieldError(StartsAt, FieldRules.OneOf, $"{StartsAt} must not be given with {Cron}: a cron window opens at each instant its expression names.") { OtherPath = Cron });
        }

        if (window.StartsAt is { } start && start < Timestamps.Earliest)
        {
            errors.Add(new FieldError(StartsAt, FieldRules.NotBefore1970, $"{StartsAt} must not be before {Timestamps.Format(Timestamps.Earliest)}."));
        }

        if (window.Every is not null && window.Cron is not null)
        {
            errors.Add(new FieldError(Every, FieldRules.OneOf, $"{Every} must not be given with {Cron}: a window opens at each instant its cron expression names, or every interval from its start.") { OtherPath = Cron });
        }
    }

    private static void Durations(MaintenanceWindow window, FieldErrorList errors)
    {
        var everyValid = window.Every is { } every && !errors.Add(RangeError(every, MinEvery, Every));
        if (window.Duration is not { } duration)
        {
            if (window.Cron is not null || window.Every is not null)
            {
                var by = window.Cron is not null ? Cron : Every;
                errors.Add(new FieldError(Duration, FieldRules.Required, $"{Duration} must be given for a window that opens again and again ({by}); a window without one is a pause until it is removed.") { OtherPath = by });
            }

            return;
        }

        if (duration <= TimeSpan.Zero || duration > DurationText.Maximum)
        {
            errors.Add(new FieldError(Duration, FieldRules.Range, $"{Duration} must be greater than zero and at most {DurationText.Format(DurationText.Maximum)} (it is {DurationText.Format(duration)})."));
            return;
        }

        if (everyValid && duration >= window.Every!.Value)
        {
            errors.Add(new FieldError(Duration, FieldRules.Range, $"{Duration} ({DurationText.Format(duration)}) must be shorter than {Every} ({DurationText.Format(window.Every.Value)}): the window closes before it opens again.") { OtherPath = Every });
        }
    }

    private static FieldError? RangeError(TimeSpan value, TimeSpan min, string path) =>
        value < min || value > DurationText.Maximum
            ? new FieldError(path, FieldRules.Range, $"{path} must be between {DurationText.Format(min)} and {DurationText.Format(DurationText.Maximum)} (it is {DurationText.Format(value)}).")
            : null;

    private static TimeSpan Microseconds(TimeSpan value) => TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond));
}
