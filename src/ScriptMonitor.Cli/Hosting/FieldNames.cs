using ScriptMonitor.Application.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>
/// Names the fields of a refusal the way the user typed them. The library names a field by its path
/// (<c>expectation.Schedule.Period</c>, <c>request.Until</c>); each command has one table from those paths to its
/// options (<c>--every</c>, <c>--until</c>), and a refusal's field errors are told with the options
/// (<see cref="FieldError.Describe"/>). The messages themselves are never rewritten.
/// </summary>
internal static class FieldNames
{
    /// <summary>A table key ending with this matches the path with any index and drops the index (<c>scripts[2]</c> is NAME).</summary>
    private const string AnyIndex = "[]";

    /// <summary>One line telling every broken rule of a refusal, its fields named by <paramref name="names"/>.</summary>
    /// <param name="refusal">What the library threw.</param>
    /// <param name="names">The command's table of paths and options.</param>
    internal static string Describe(ArgumentException refusal, IReadOnlyDictionary<string, string> names) => refusal switch
    {
        ValidationException { Errors.Count: > 0 } validation => string.Join(" ", validation.Errors.Select(e => Describe(e, names))),
        _ => RefusalText.Sentence(refusal),
    };

    /// <summary>One broken rule, its field (and the other field of a rule between two) named by <paramref name="names"/>.</summary>
    internal static string Describe(FieldError error, IReadOnlyDictionary<string, string> names) =>
        error.Describe(path => Name(path, names));

    /// <summary>The option of a path; the path itself when the command has none for it.</summary>
    internal static string Name(string path, IReadOnlyDictionary<string, string> names)
    {
        if (names.TryGetValue(path, out var name))
        {
            return name;
        }

        var index = path.LastIndexOf('[');
        if (index > 0 && path.EndsWith(']'))
        {
            var list = path[..index];
            if (names.TryGetValue(list + AnyIndex, out var any))
            {
                return any;
            }

            if (names.TryGetValue(list, out var named))
            {
                return named + path[index..];
            }
        }

        return path;
    }
}
