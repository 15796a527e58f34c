using System.Net;

namespace ScriptMonitor.Runs;

/// <summary>
/// The rules every store applies at its public edge, so that a bad argument is refused before anything is written.
/// A broken rule is a <see cref="ValidationException"/> naming the field by its path (the parameter, or
/// <c>run.StartedAt</c>, <c>query.Limit</c>, <c>skip.Holder</c> for a member of one); every broken field of one run,
/// skip or query is reported at once. A null argument itself is an <see cref="ArgumentNullException"/>: a bug, not input.
/// </summary>
public static class RunValidation
{
    internal const int MaxNameLength = 255;

    /// <summary>
    /// Clocks of the hosts that report into one store disagree a little; a start further ahead than this is a
    /// bug or a typo, and accepting it would make it the "last" run for years.
    /// </summary>
    internal static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    private static readonly Lazy<string> LocalHostname = new(Dns.GetHostName);

    /// <summary>This machine's host name, as the <c>hostname</c> command prints it.</summary>
    public static string ThisHost => LocalHostname.Value;

    /// <summary>A script's name, checked: 1 to 255 characters, no control characters, no white space at either end.</summary>
    /// <param name="value">The name as given.</param>
    /// <param name="path">The field's path in the caller's terms, for the error.</param>
    /// <exception cref="ValidationException">The name breaks a rule; the error names <paramref name="path"/> and the rule.</exception>
    public static string ScriptName(string? value, string path) => Valid(value!, ScriptNameError(value, path));

    /// <summary>A host name, checked by the rules of a script's name; null is this machine's (<see cref="ThisHost"/>).</summary>
    /// <param name="value">The host name as given, or null.</param>
    /// <param name="path">The field's path in the caller's terms, for the error.</param>
    /// <exception cref="ValidationException">The name breaks a rule; the error names <paramref name="path"/> and the rule.</exception>
    public static string Hostname(string? value, string path) =>
        value is null ? ThisHost : Valid(value, IdentifierError(value, path, "host name"));

    /// <summary>An instant, checked (not before 1970, not more than a day after <paramref name="now"/>) and normalized to UTC microseconds.</summary>
    /// <param name="value">The instant as given.</param>
    /// <param name="path">The field's path in the caller's terms, for the error.</param>
    /// <param name="now">The clock the future is judged by.</param>
    /// <exception cref="ValidationException">The instant breaks a rule; the error names <paramref name="path"/> and the rule.</exception>
    public static DateTimeOffset Instant(DateTimeOffset value, string path, DateTimeOffset now) =>
        Timestamps.Normalize(Valid(value, InstantError(value, path, now)));

    internal static void CompletedNotBeforeStarted(DateTimeOffset started, DateTimeOffset completed, string path) =>
        Valid(completed, OrderError(started, completed, path));

    /// <summary>Checks that a window does not end before it starts.</summary>
    /// <param name="since">The window's start, or null for open.</param>
    /// <param name="until">The window's end, or null for open.</param>
    /// <param name="untilPath">The end's path in the caller's terms, for the error.</param>
    /// <param name="sincePath">The start's path in the caller's terms, for the error.</param>
    /// <exception cref="ValidationException">The window is reversed.</exception>
    public static void Window(DateTimeOffset? since, DateTimeOffset? until, string untilPath, string sincePath = "since") =>
        Valid(until, WindowError(since, until, untilPath, sincePath));

    internal static RunOutcome CompletedOutcome(RunOutcome outcome, string path) =>
        outcome is RunOutcome.Succeeded or RunOutcome.Failed or RunOutcome.Abandoned
            ? outcome
            : throw ValidationException.Of(path, FieldRules.Outcome, $"{path} must be Succeeded, Failed or Abandoned to complete a run.");

    internal static RunnerProcess? Runner(RunnerProcess? runner, string path)
    {
        var errors = new FieldErrorList();
        RunnerErrors(runner, path, errors);
        errors.ThrowIfAny();
        return runner;
    }

    /// <summary>A skip event with every field checked: the same name, host and instant rules as a run.</summary>
    internal static ScriptSkip Skip(ScriptSkip skip, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var errors = new FieldErrorList();
        errors.Add(ScriptNameError(skip.ScriptName, "skip.ScriptName"));
        errors.Add(HostnameError(skip.Hostname, "skip.Hostname"));
        errors.Add(InstantError(skip.SkippedAt, "skip.SkippedAt", now));
        errors.Add(skip.Holder is null ? new FieldError("skip.Holder", FieldRules.Required, "skip.Holder must be given: who held the lock, as far as is known.") : null);
        errors.ThrowIfAny();
        var holder = Output(skip.Holder)!.ReplaceLineEndings(" ").Trim();
        return skip with
        {
            Hostname = Hostname(skip.Hostname, "skip.Hostname"),
            SkippedAt = Timestamps.Normalize(skip.SkippedAt),
            Holder = holder.Length <= ScriptSkip.MaxHolderLength ? holder : holder[..ScriptSkip.MaxHolderLength],
        };
    }

    /// <summary>Why a run is closed by hand: some words, kept in its output.</summary>
    internal static string Reason(string? reason, string path) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw ValidationException.Of(path, FieldRules.Required, $"{path} must say why the run is abandoned; it is empty.")
            : reason;

    internal static RunQuery Query(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrorList();
        errors.Add(ScriptNameError(query.ScriptName, "query.ScriptName"));
        errors.Add(query.Hostname is null ? null : IdentifierError(query.Hostname, "query.Hostname", "host name"));
        errors.Add(LimitError(query.Limit, "query.Limit"));
        errors.Add(query.Offset < 0 ? new FieldError("query.Offset", FieldRules.Range, "query.Offset must not be negative.") : null);
        errors.Add(WindowError(query.Since, query.Until, "query.Until", "query.Since"));
        errors.ThrowIfAny();
        return query;
    }

    internal static int Limit(int limit, string path) => Valid(limit, LimitError(limit, path));

    /// <summary>How many of each script's newest runs a prune keeps.</summary>
    internal static int KeepLast(int keepLast, string path) =>
        keepLast >= 0 ? keepLast : throw ValidationException.Of(path, FieldRules.Range, $"{path} must not be negative (it is {keepLast}).");

    /// <summary>
    /// Refuses an instant further ahead of another clock than hosts' clocks may disagree, such as a shared store's
    /// server, whose clock all hosts share.
    /// </summary>
    /// <param name="value">The instant.</param>
    /// <param name="path">The field.</param>
    /// <param name="clockNow">The other clock's time.</param>
    /// <param name="message">The sentence, beginning with <paramref name="path"/>.</param>
    internal static void NotAheadOf(DateTimeOffset value, string path, DateTimeOffset clockNow, string message)
    {
        if (value > clockNow + MaxFutureSkew)
        {
            throw ValidationException.Of(path, FieldRules.NotInFuture, message);
        }
    }

    /// <summary>A new completed run with every argument checked: the one-step forms (success, failure) of every store.</summary>
    internal static ScriptRun CompletedRun(
        string name,
        (DateTimeOffset Value, string ParamName) startedAt,
        (DateTimeOffset Value, string ParamName) completedAt,
        string? hostname,
        RunOutcome outcome,
        int? exitCode,
        string? output,
        DateTimeOffset now)
    {
        var errors = new FieldErrorList();
        errors.Add(ScriptNameError(name, nameof(name)));
        var instantsValid = !errors.Add(InstantError(startedAt.Value, startedAt.ParamName, now));
        instantsValid &= !errors.Add(InstantError(completedAt.Value, completedAt.ParamName, now));
        errors.Add(instantsValid ? OrderError(startedAt.Value, completedAt.Value, completedAt.ParamName) : null);
        errors.Add(HostnameError(hostname, nameof(hostname)));
        errors.ThrowIfAny();
        return new ScriptRun(
            ScriptRun.NewId(now),
            name,
            Hostname(hostname, nameof(hostname)),
            Timestamps.Normalize(startedAt.Value),
            Timestamps.Normalize(completedAt.Value),
            outcome,
            exitCode,
            Output(output));
    }

    /// <summary>A new running run with every argument checked.</summary>
    internal static ScriptRun StartedRun(string name, DateTimeOffset startedAt, string? hostname, Guid? runId, RunnerProcess? runner, DateTimeOffset now)
    {
        var errors = new FieldErrorList();
        errors.Add(ScriptNameError(name, nameof(name)));
        errors.Add(InstantError(startedAt, nameof(startedAt), now));
        errors.Add(HostnameError(hostname, nameof(hostname)));
        RunnerErrors(runner, nameof(runner), errors);
        errors.ThrowIfAny();
        return new ScriptRun(
            runId ?? ScriptRun.NewId(now),
            name,
            Hostname(hostname, nameof(hostname)),
            Timestamps.Normalize(startedAt),
            CompletedAt: null,
            RunOutcome.Running,
            ExitCode: null,
            Output: null)
        {
            Runner = runner,
        };
    }

    /// <summary>A run given whole (a spooled delivery), checked and normalised as if it had been recorded here.</summary>
    internal static ScriptRun ImportedRun(ScriptRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var errors = new FieldErrorList();
        errors.Add(ScriptNameError(run.ScriptName, "run.ScriptName"));
        errors.Add(HostnameError(run.Hostname, "run.Hostname"));
        var instantsValid = !errors.Add(InstantError(run.StartedAt, "run.StartedAt", now));
        if (run.CompletedAt is { } completedAt)
        {
            instantsValid &= !errors.Add(InstantError(completedAt, "run.CompletedAt", now));
            errors.Add(instantsValid ? OrderError(run.StartedAt, completedAt, "run.CompletedAt") : null);
        }

        if (!Enum.IsDefined(run.Outcome))
        {
            errors.Add(new FieldError("run.Outcome", FieldRules.Outcome, "run.Outcome must be Running, Succeeded, Failed or Abandoned."));
        }
        else if ((run.Outcome == RunOutcome.Running) != (run.CompletedAt is null))
        {
            errors.Add(new FieldError("run.CompletedAt", FieldRules.MatchesOutcome, "run.CompletedAt must be given exactly when run.Outcome is Succeeded, Failed or Abandoned.") { OtherPath = "run.Outcome" });
        }

        RunnerErrors(run.Runner, "run.Runner", errors);
        errors.ThrowIfAny();
        return run with
        {
            Hostname = Hostname(run.Hostname, "run.Hostname"),
            StartedAt = Timestamps.Normalize(run.StartedAt),
            CompletedAt = run.CompletedAt is { } completed ? Timestamps.Normalize(completed) : null,
            Output = Output(run.Output),
        };
    }

    /// <summary>
    /// Keeps the tail of the output, where a failure explains itself, and replaces what text columns refuse: NUL, and
    /// half of a surrogate pair (output cut in the middle of a character), which is not Unicode and cannot be encoded.
    /// </summary>
    internal static string? Output(string? output)
    {
        if (output is null)
        {
            return null;
        }

        var tail = output.Length > ScriptRun.MaxOutputLength ? output[^ScriptRun.MaxOutputLength..] : output;
        if (tail.Length > 0 && char.IsLowSurrogate(tail[0]))
        {
            tail = tail[1..];
        }

        return ReplaceLoneSurrogates(tail.Replace('\0', '\uFFFD'));
    }

    /// <summary>The broken rule of a script name, or null when it is a valid one.</summary>
    internal static FieldError? ScriptNameError(string? value, string path) => IdentifierError(value, path, "script name");

    /// <summary>The broken rule of a host name, or null when it is a valid one or null (this machine).</summary>
    internal static FieldError? HostnameError(string? value, string path) => value is null ? null : IdentifierError(value, path, "host name");

    /// <summary>The broken rule of an instant a store keeps, or null when it may be kept.</summary>
    internal static FieldError? InstantError(DateTimeOffset value, string path, DateTimeOffset now)
    {
        if (value < Timestamps.Earliest)
        {
            return new FieldError(path, FieldRules.NotBefore1970, $"{path} must not be before {Timestamps.Format(Timestamps.Earliest)}.");
        }

        return value > now + MaxFutureSkew
            ? new FieldError(path, FieldRules.NotInFuture, $"{path} must not be more than {MaxFutureSkew.TotalHours:0} hours in the future (now is {Timestamps.Format(now)}).")
            : null;
    }

    /// <summary>The broken rule of a name (script, host, tag), or null when it reads as what it is, on one line.</summary>
    internal static FieldError? IdentifierError(string? value, string path, string what)
    {
        if (value is null)
        {
            return new FieldError(path, FieldRules.Required, $"{path} must be given: a {what} of 1 to {MaxNameLength} characters.");
        }

        if (value.Length is 0 or > MaxNameLength)
        {
            return new FieldError(path, FieldRules.Length, $"{path} must be 1 to {MaxNameLength} characters long (it is {value.Length}).");
        }

        if (FirstLoneSurrogate(value) is { } lone)
        {
            return new FieldError(path, FieldRules.ValidUnicode, $"{path} must be valid Unicode (found a lone surrogate U+{(int)value[lone]:X4}).");
        }

        var position = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            position++;
            if (ForbiddenKind(rune) is { } kind)
            {
                return new FieldError(path, kind.Rule, $"{path} must not contain {kind.Text} (found U+{rune.Value:X4} at character {position}).");
            }
        }

        return char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])
            ? new FieldError(path, FieldRules.SurroundingWhiteSpace, $"{path} must not start or end with white space.")
            : null;
    }

    private static T Valid<T>(T value, FieldError? error) => error is null ? value : throw new ValidationException([error]);

    private static FieldError? OrderError(DateTimeOffset started, DateTimeOffset completed, string path)
    {
        var (start, end) = (Timestamps.Normalize(started), Timestamps.Normalize(completed));
        return end < start
            ? new FieldError(path, FieldRules.NotBeforeStart, $"{path} ({Timestamps.Format(end)}) must not be before the start ({Timestamps.Format(start)}).")
            : null;
    }

    private static FieldError? WindowError(DateTimeOffset? since, DateTimeOffset? until, string untilPath, string sincePath) =>
        since is { } from && until is { } to && to < from
            ? new FieldError(untilPath, FieldRules.NotBeforeSince, $"{untilPath} ({Timestamps.Format(to)}) must not be before {sincePath} ({Timestamps.Format(from)}).") { OtherPath = sincePath }
            : null;

    private static FieldError? LimitError(int limit, string path) =>
        limit is >= 1 and <= RunQuery.MaxLimit ? null : new FieldError(path, FieldRules.Range, $"{path} must be between 1 and {RunQuery.MaxLimit}.");

    private static void RunnerErrors(RunnerProcess? runner, string path, FieldErrorList errors)
    {
        if (runner is null)
        {
            return;
        }

        if (runner.ProcessId <= 0 || runner.StartTime < 0)
        {
            errors.Add(new FieldError(path, FieldRules.Range, $"{path} must name a process id above 0 and a start time not below 0."));
        }

        errors.Add(RunnerFieldError(runner.BootId, $"{path}.BootId"));
        errors.Add(RunnerFieldError(runner.PidNamespace, $"{path}.PidNamespace"));
    }

    /// <summary>
    /// What a name must not hold, because it cannot be seen or it breaks a line: control characters (NUL, tab, new
    /// line), format characters (bidi controls that reverse the text around them, zero-width spaces and joiners that
    /// make two names look the same), line and paragraph separators, and code points Unicode has not assigned (they
    /// may become any of those). Null when the rune is allowed.
    /// </summary>
    private static (string Rule, string Text)? ForbiddenKind(System.Text.Rune rune) => System.Text.Rune.GetUnicodeCategory(rune) switch
    {
        System.Globalization.UnicodeCategory.Control => (FieldRules.ControlCharacters, "control characters"),
        System.Globalization.UnicodeCategory.Format => (FieldRules.FormatCharacters, "invisible format characters such as bidi controls or zero-width characters"),
        System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator => (FieldRules.LineSeparators, "line or paragraph separators"),
        System.Globalization.UnicodeCategory.OtherNotAssigned => (FieldRules.UnassignedCodePoints, "unassigned code points"),
        _ => null,
    };

    private static FieldError? RunnerFieldError(string? value, string path)
    {
        var rule = string.IsNullOrWhiteSpace(value) || value.Length > RunnerProcess.MaxFieldLength ? FieldRules.Length
            : value.Any(char.IsControl) ? FieldRules.ControlCharacters
            : null;
        return rule is null ? null : new FieldError(path, rule, $"{path} must be 1 to {RunnerProcess.MaxFieldLength} characters without control characters.");
    }

    private static int? FirstLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static string ReplaceLoneSurrogates(string value)
    {
        if (FirstLoneSurrogate(value) is null)
        {
            return value;
        }

        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
