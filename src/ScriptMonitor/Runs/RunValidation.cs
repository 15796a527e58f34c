using System.Net;

namespace ScriptMonitor.Runs;

/// <summary>
/// The rules every store applies at its public edge, so that a bad argument is refused before anything is written.
/// </summary>
internal static class RunValidation
{
    internal const int MaxNameLength = 255;

    /// <summary>
    /// Clocks of the hosts that report into one store disagree a little; a start further ahead than this is a
    /// bug or a typo, and accepting it would make it the "last" run for years.
    /// </summary>
    internal static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    private static readonly Lazy<string> LocalHostname = new(Dns.GetHostName);

    /// <summary>This machine's host name, as the <c>hostname</c> command prints it.</summary>
    internal static string ThisHost => LocalHostname.Value;

    internal static string ScriptName(string? value, string paramName) => Identifier(value, paramName, "script name");

    internal static string Hostname(string? value, string paramName) =>
        value is null ? ThisHost : Identifier(value, paramName, "host name");

    internal static DateTimeOffset Instant(DateTimeOffset value, string paramName, DateTimeOffset now)
    {
        if (value < Timestamps.Earliest)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be before {Timestamps.Format(Timestamps.Earliest)}.");
        }

        if (value > now + MaxFutureSkew)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be more than {MaxFutureSkew.TotalHours:0} hours in the future (now is {Timestamps.Format(now)}).");
        }

        return Timestamps.Normalize(value);
    }

    internal static void CompletedNotBeforeStarted(DateTimeOffset started, DateTimeOffset completed, string paramName)
    {
        if (completed < started)
        {
            throw new ArgumentOutOfRangeException(paramName, completed, $"{paramName} ({Timestamps.Format(completed)}) must not be before the start ({Timestamps.Format(started)}).");
        }
    }

    internal static void Window(DateTimeOffset? since, DateTimeOffset? until, string untilParamName)
    {
        if (since is { } from && until is { } to && to < from)
        {
            throw new ArgumentOutOfRangeException(untilParamName, to, $"{untilParamName} ({Timestamps.Format(to)}) must not be before since ({Timestamps.Format(from)}).");
        }
    }

    internal static RunOutcome CompletedOutcome(RunOutcome outcome, string paramName) =>
        outcome is RunOutcome.Succeeded or RunOutcome.Failed or RunOutcome.Abandoned
            ? outcome
            : throw new ArgumentOutOfRangeException(paramName, outcome, $"{paramName} must be Succeeded, Failed or Abandoned to complete a run.");

    internal static RunnerProcess? Runner(RunnerProcess? runner, string paramName)
    {
        if (runner is null)
        {
            return null;
        }

        if (runner.ProcessId <= 0 || runner.StartTime < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, runner, $"{paramName} must name a process id above 0 and a start time not below 0.");
        }

        RunnerField(runner.BootId, $"{paramName}.BootId");
        RunnerField(runner.PidNamespace, $"{paramName}.PidNamespace");
        return runner;
    }

    /// <summary>A skip event with every field checked: the same name, host and instant rules as a run.</summary>
    internal static ScriptSkip Skip(ScriptSkip skip, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(skip);
        ArgumentNullException.ThrowIfNull(skip.Holder, "skip.Holder");
        var holder = Output(skip.Holder)!.ReplaceLineEndings(" ").Trim();
        return skip with
        {
            ScriptName = ScriptName(skip.ScriptName, "skip.ScriptName"),
            Hostname = Hostname(skip.Hostname, "skip.Hostname"),
            SkippedAt = Instant(skip.SkippedAt, "skip.SkippedAt", now),
            Holder = holder.Length <= ScriptSkip.MaxHolderLength ? holder : holder[..ScriptSkip.MaxHolderLength],
        };
    }

    internal static RunQuery Query(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ScriptName(query.ScriptName, "query.ScriptName");
        if (query.Hostname is not null)
        {
            Identifier(query.Hostname, "query.Hostname", "host name");
        }

        Limit(query.Limit, "query.Limit");

        if (query.Offset < 0)
        {
            throw new ArgumentOutOfRangeException("query.Offset", query.Offset, "query.Offset must not be negative.");
        }

        Window(query.Since, query.Until, "query.Until");
        return query;
    }

    internal static int Limit(int limit, string paramName) =>
        limit is >= 1 and <= RunQuery.MaxLimit
            ? limit
            : throw new ArgumentOutOfRangeException(paramName, limit, $"{paramName} must be between 1 and {RunQuery.MaxLimit}.");

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
        var started = Instant(startedAt.Value, startedAt.ParamName, now);
        var completed = Instant(completedAt.Value, completedAt.ParamName, now);
        CompletedNotBeforeStarted(started, completed, completedAt.ParamName);
        return new ScriptRun(
            Guid.NewGuid(),
            ScriptName(name, nameof(name)),
            Hostname(hostname, nameof(hostname)),
            started,
            completed,
            outcome,
            exitCode,
            Output(output));
    }

    /// <summary>A new running run with every argument checked.</summary>
    internal static ScriptRun StartedRun(string name, DateTimeOffset startedAt, string? hostname, Guid? runId, RunnerProcess? runner, DateTimeOffset now) => new(
        runId ?? Guid.NewGuid(),
        ScriptName(name, nameof(name)),
        Hostname(hostname, nameof(hostname)),
        Instant(startedAt, nameof(startedAt), now),
        CompletedAt: null,
        RunOutcome.Running,
        ExitCode: null,
        Output: null)
    {
        Runner = Runner(runner, nameof(runner)),
    };

    /// <summary>A run given whole (a spooled delivery), checked and normalised as if it had been recorded here.</summary>
    internal static ScriptRun ImportedRun(ScriptRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = Instant(run.StartedAt, "run.StartedAt", now);
        DateTimeOffset? completed = null;
        if (run.CompletedAt is { } completedAt)
        {
            completed = Instant(completedAt, "run.CompletedAt", now);
            CompletedNotBeforeStarted(started, completed.Value, "run.CompletedAt");
        }

        if ((run.Outcome == RunOutcome.Running) != (completed is null))
        {
            throw new ArgumentException("run.CompletedAt must be given exactly when run.Outcome is Succeeded, Failed or Abandoned.", nameof(run));
        }

        if (!Enum.IsDefined(run.Outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(run), run.Outcome, "run.Outcome must be Running, Succeeded, Failed or Abandoned.");
        }

        return run with
        {
            ScriptName = ScriptName(run.ScriptName, "run.ScriptName"),
            Hostname = Hostname(run.Hostname, "run.Hostname"),
            StartedAt = started,
            CompletedAt = completed,
            Output = Output(run.Output),
            Runner = Runner(run.Runner, "run.Runner"),
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

    private static string Identifier(string? value, string paramName, string what)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} must be given: a {what} of 1 to {MaxNameLength} characters.");
        }

        if (value.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"{paramName} must be 1 to {MaxNameLength} characters long (it is {value.Length}).", paramName);
        }

        if (FirstLoneSurrogate(value) is { } lone)
        {
            throw new ArgumentException($"{paramName} must be valid Unicode (found a lone surrogate U+{(int)value[lone]:X4}).", paramName);
        }

        var position = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            position++;
            if (ForbiddenKind(rune) is { } kind)
            {
                throw new ArgumentException($"{paramName} must not contain {kind} (found U+{rune.Value:X4} at character {position}).", paramName);
            }
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new ArgumentException($"{paramName} must not start or end with white space.", paramName);
        }

        return value;
    }

    /// <summary>
    /// What a name must not hold, because it cannot be seen or it breaks a line: control characters (NUL, tab, new
    /// line), format characters (bidi controls that reverse the text around them, zero-width spaces and joiners that
    /// make two names look the same), line and paragraph separators, and code points Unicode has not assigned (they
    /// may become any of those). Null when the rune is allowed.
    /// </summary>
    private static string? ForbiddenKind(System.Text.Rune rune) => System.Text.Rune.GetUnicodeCategory(rune) switch
    {
        System.Globalization.UnicodeCategory.Control => "control characters",
        System.Globalization.UnicodeCategory.Format => "invisible format characters such as bidi controls or zero-width characters",
        System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator => "line or paragraph separators",
        System.Globalization.UnicodeCategory.OtherNotAssigned => "unassigned code points",
        _ => null,
    };

    private static void RunnerField(string? value, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > RunnerProcess.MaxFieldLength || value.Any(char.IsControl))
        {
            throw new ArgumentException($"{paramName} must be 1 to {RunnerProcess.MaxFieldLength} characters without control characters.", paramName);
        }
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
