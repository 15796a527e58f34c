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
        outcome is RunOutcome.Succeeded or RunOutcome.Failed
            ? outcome
            : throw new ArgumentOutOfRangeException(paramName, outcome, $"{paramName} must be Succeeded or Failed to complete a run.");

    internal static RunQuery Query(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ScriptName(query.ScriptName, "query.ScriptName");
        if (query.Hostname is not null)
        {
            Identifier(query.Hostname, "query.Hostname", "host name");
        }

        if (query.Limit is < 1 or > RunQuery.MaxLimit)
        {
            throw new ArgumentOutOfRangeException("query.Limit", query.Limit, $"query.Limit must be between 1 and {RunQuery.MaxLimit}.");
        }

        if (query.Offset < 0)
        {
            throw new ArgumentOutOfRangeException("query.Offset", query.Offset, "query.Offset must not be negative.");
        }

        Window(query.Since, query.Until, "query.Until");
        return query;
    }

    /// <summary>
    /// Keeps the tail of the output, where a failure explains itself, and replaces NUL, which text columns refuse.
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

        return tail.Replace('\0', '\uFFFD');
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

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{paramName} must not contain control characters (found U+{(int)c:X4}).", paramName);
            }
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new ArgumentException($"{paramName} must not start or end with white space.", paramName);
        }

        return value;
    }
}
