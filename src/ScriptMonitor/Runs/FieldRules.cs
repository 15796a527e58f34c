namespace ScriptMonitor.Runs;

/// <summary>
/// The keys of <see cref="FieldError.Rule"/>: short, stable, one per kind of rule, so that a machine (an API client, a
/// problem-details type) can tell rules apart without reading the sentence.
/// </summary>
public static class FieldRules
{
    /// <summary>The field must be given (it is null or empty where a value is needed).</summary>
    public const string Required = "required";

    /// <summary>A name or text must be 1 to its maximum characters long.</summary>
    public const string Length = "length";

    /// <summary>A name must be valid Unicode (no half of a surrogate pair).</summary>
    public const string ValidUnicode = "valid-unicode";

    /// <summary>A name must not contain control characters (NUL, tab, new line, DEL, C1).</summary>
    public const string ControlCharacters = "control-characters";

    /// <summary>A name must not contain invisible format characters (bidi controls, zero-width characters).</summary>
    public const string FormatCharacters = "format-characters";

    /// <summary>A name must not contain line or paragraph separators.</summary>
    public const string LineSeparators = "line-separators";

    /// <summary>A name must not contain code points Unicode has not assigned.</summary>
    public const string UnassignedCodePoints = "unassigned-code-points";

    /// <summary>A name must not start or end with white space.</summary>
    public const string SurroundingWhiteSpace = "surrounding-white-space";

    /// <summary>A number or a duration must lie between its bounds.</summary>
    public const string Range = "range";

    /// <summary>A list must hold between its bounds of items.</summary>
    public const string Count = "count";

    /// <summary>A list must not hold the same item twice.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>An instant must not be before 1970-01-01, where stores start counting.</summary>
    public const string NotBefore1970 = "not-before-1970";

    /// <summary>An instant must not be further ahead of the clock than hosts' clocks may disagree (a day).</summary>
    public const string NotInFuture = "not-in-future";

    /// <summary>A completion must not be before its run's start.</summary>
    public const string NotBeforeStart = "not-before-start";

    /// <summary>The end of a window must not be before its start.</summary>
    public const string NotBeforeSince = "not-before-since";

    /// <summary>An outcome must be one the operation takes.</summary>
    public const string Outcome = "outcome";

    /// <summary>A run's completion must be given exactly when its outcome says it completed.</summary>
    public const string MatchesOutcome = "matches-outcome";

    /// <summary>A minimum runtime must not be more than the maximum runtime.</summary>
    public const string NotAboveMaxRuntime = "not-above-max-runtime";

    /// <summary>The time after which a run is presumed abandoned must not be shorter than the maximum runtime.</summary>
    public const string NotBelowMaxRuntime = "not-below-max-runtime";

    /// <summary>An end of a pause may only be given with the pause.</summary>
    public const string OnlyWhenPaused = "only-when-paused";

    /// <summary>A schedule must be a period or a cron schedule.</summary>
    public const string ScheduleType = "schedule-type";

    /// <summary>A cron expression must be one cron reads as a schedule, and fire often enough to be watched.</summary>
    public const string CronExpression = "cron-expression";

    /// <summary>A time zone must be an IANA time zone this machine knows.</summary>
    public const string TimeZone = "time-zone";

    /// <summary>A key's scope must be Ingest, Read or Admin.</summary>
    public const string Scope = "scope";

    /// <summary>A key's id must be a short run of the characters ids are made of.</summary>
    public const string KeyId = "key-id";

    /// <summary>Script patterns may be given only for an ingest key.</summary>
    public const string OnlyForIngest = "only-for-ingest";

    /// <summary>A key is added active: it must not carry a revocation.</summary>
    public const string AddedActive = "added-active";

    /// <summary>An audit entry's action must be a short dotted word such as <c>key.create</c>.</summary>
    public const string AuditAction = "audit-action";

    /// <summary>Exactly one of two fields must be given (a window is for a script or a tag; by cron or by instant).</summary>
    public const string OneOf = "one-of";

    /// <summary>A kind or state must be one of the values it has.</summary>
    public const string Choice = "choice";

    /// <summary>A notification written with a flip must be about the flip's script.</summary>
    public const string MatchesFlip = "matches-flip";

    /// <summary>A ping UUID names one script, and is not the nil UUID.</summary>
    public const string PingId = "ping-id";

    /// <summary>A ping key is 16 to 64 characters of <c>a-z</c>, <c>A-Z</c>, <c>0-9</c>, <c>-</c> and <c>_</c>.</summary>
    public const string PingKey = "ping-key";

    /// <summary>A key text made elsewhere has the form of a Healthchecks key, and its prefix matches the scope it is given.</summary>
    public const string KeySecret = "key-secret";
}
