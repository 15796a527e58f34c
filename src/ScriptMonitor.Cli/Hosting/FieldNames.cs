using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>
/// Names the fields of a refusal the way the user typed them. The library names a field by its path
/// (<c>expectation.Schedule.Period</c>, <c>request.Until</c>); each command has one table from those paths to its
/// options (<c>--every</c>, <c>--until</c>), and a refusal's field errors are told with the options.
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
        _ => Legacy(refusal, names),
    };

    /// <summary>One broken rule, its field named by <paramref name="names"/>: the message begins with the field's path.</summary>
    internal static string Describe(FieldError error, IReadOnlyDictionary<string, string> names)
    {
        if (!error.Message.StartsWith(error.Path, StringComparison.Ordinal))
        {
            return error.Message;
        }

        // The other field of a rule between two fields of a request is named in the rest of the message.
        var rest = error.Message[error.Path.Length..];
        foreach (var (path, name) in names.Where(p => p.Key.StartsWith("patch.", StringComparison.Ordinal) || p.Key.StartsWith("request.", StringComparison.Ordinal)))
        {
            rest = rest.Replace(path, name, StringComparison.Ordinal);
        }

        return Name(error.Path, names) + rest;
    }

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

    /// <summary>
    /// A refusal without field errors: its message, without the " (Parameter 'x')" that <see cref="ArgumentException"/>
    /// appends, its parameter named by the table.
    /// </summary>
    private static string Legacy(ArgumentException refusal, IReadOnlyDictionary<string, string> names)
    {
        var message = refusal.Message;
        var at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        message = at < 0 ? message : message[..at];
        var key = message.IndexOf(" Arg_ParamName_Name", StringComparison.Ordinal);
        message = key < 0 ? message : message[..key];
        var actual = message.IndexOf("\nActual value was", StringComparison.Ordinal);
        message = (actual < 0 ? message : message[..actual]).ReplaceLineEndings(" ").Trim();
        foreach (var (path, name) in names.OrderByDescending(p => p.Key.Length))
        {
            message = message.Replace(path, name, StringComparison.Ordinal);
        }

        return message;
    }
}
