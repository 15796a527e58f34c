using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Application.History;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// The request's names of the library's field paths (<c>request.Since</c> → <c>since</c>), so that a refusal names the
/// field as the caller wrote it; an indexed path keeps its index (<c>patch.Hosts[1]</c> → <c>hosts[1]</c>).
/// </summary>
internal sealed class ApiFields(IReadOnlyDictionary<string, string> names)
{
    public string NameOf(string path)
    {
        if (names.TryGetValue(path, out var name))
        {
            return name;
        }

        var end = path.IndexOfAny(['[', ' ']);
        return end > 0 && names.TryGetValue(path[..end], out var prefix) ? prefix + path[end..] : path;
    }

    /// <summary>
    /// A refusal by the use case as the API answers it: 404 when the script is unknown (a name no run has), else 400;
    /// each broken rule named by the request's field.
    /// </summary>
    public ProblemHttpResult Refused(ValidationException refusal)
    {
        var errors = refusal.Errors.Count > 0
            ? [.. refusal.Errors.Select(error => new FieldProblem(NameOf(error.Path), error.Rule, error.Describe(NameOf)))]
            : new List<FieldProblem> { new(string.Empty, "invalid", refusal.Message) };
        return refusal.Errors.Any(error => error.Rule == KnownScript.Rule)
            ? ApiProblems.NotFound(errors[0].Message, errors)
            : ApiProblems.BadRequest(errors.Count == 1 ? errors[0].Message : "the request breaks rules", errors);
    }
}

/// <summary>
/// Reads a query's values, collecting every one that breaks a rule, so that one 400 lists them all and names each
/// parameter as the request does.
/// </summary>
internal sealed class QueryValues
{
    private readonly List<FieldProblem> _problems = [];

    public bool Refused => _problems.Count > 0;

    public ProblemHttpResult BadRequest() =>
        ApiProblems.BadRequest(_problems.Count == 1 ? _problems[0].Message : "the query breaks rules", _problems);

    public void Add(string name, string rule, string message) => _problems.Add(new FieldProblem(name, rule, message));

    /// <summary>A span given in seconds, refused beyond 100 years so that arithmetic on it cannot overflow an instant.</summary>
    public TimeSpan? Seconds(double? seconds, string name)
    {
        if (seconds is not { } value)
        {
            return null;
        }

        if (!double.IsFinite(value) || Math.Abs(value) > MaxSeconds)
        {
            Add(name, FieldRules.Range, $"{name} ({value}) must be a number of seconds of at most 100 years");
            return null;
        }

        return Application.Views.Seconds.ToDuration(value);
    }

    private const double MaxSeconds = 100 * 366 * 86_400d;

    /// <summary>An instant, ISO 8601 with its offset (<c>2026-11-29T02:15:00Z</c>, <c>…+01:00</c>).</summary>
    public DateTimeOffset? Instant(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }

        // An unencoded '+' of an offset arrives as a space.
        var value = text.Trim().Replace(' ', '+');
        if (HasOffset(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant;
        }

        Add(name, "instant", $"{name} ('{text}') must be an instant in ISO 8601 with its offset, e.g. 2026-11-29T02:15:00Z or 2026-11-29T03:15:00+01:00");
        return null;
    }

    /// <summary>A page size from 1 to <paramref name="max"/>.</summary>
    public int Limit(string? text, string name, int fallback, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }

        Add(name, FieldRules.Range, $"{name} ('{text}') must be a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)}");
        return fallback;
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool Flag(string? text, string name)
    {
        if (text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out var flag))
        {
            return flag;
        }

        Add(name, "boolean", $"{name} ('{text}') must be true or false");
        return false;
    }

    /// <summary>A name as the library checks it (a script, a host), under the request's name.</summary>
    public string? Name(string? text, string name, Func<string?, string, string> check)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return check(text, name);
        }
        catch (ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                Add(error.Path, error.Rule, error.Message);
            }

            return null;
        }
    }

    /// <summary>Whether an ISO 8601 instant ends with its offset (<c>Z</c> or <c>±hh:mm</c>).</summary>
    internal static bool HasOffset(string value) =>
        value.EndsWith('Z') || value.EndsWith('z') || (value.Length > 6 && value[^6] is '+' or '-' && value[^3] == ':');
}
