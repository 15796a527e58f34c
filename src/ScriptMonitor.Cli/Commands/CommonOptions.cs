using System.CommandLine;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Text;

namespace ScriptMonitor.Cli.Commands;

/// <summary>Options and arguments several commands share, created fresh for each (a symbol has one parent).</summary>
internal static class CommonOptions
{
    internal static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text (times ISO 8601 with offset, durations in seconds)." };

    internal static Argument<string> ScriptName(string description) => new("NAME") { Description = description };

    internal static Option<string?> Host(string description) => new("--host") { Description = description, HelpName = "HOST" };

    internal static Option<string?> Time(string name, string description) => new(name) { Description = description + " ISO 8601, 'now', or relative like -2h.", HelpName = "TIME" };

    /// <summary>
    /// Reads a whole-number option in [<paramref name="min"/>, <paramref name="max"/>], with a message that names the
    /// option and the range in place of the parser's, which names a .NET type; a value beyond <see cref="int"/> is
    /// refused the same way instead of overflowing.
    /// </summary>
    internal static int? WholeNumber(System.CommandLine.Parsing.ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        var range = max == int.MaxValue
            ? $"of at least {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : $"from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        result.AddError($"{name} must be a whole number {range} (got '{text}').");
        return null;
    }

    /// <summary>Checks a script name as the store will, so a bad one is refused before anything runs or is written.</summary>
    internal static string ValidName(string? name, string field = "NAME") => Validated(() => RunValidation.ScriptName(name, field));

    internal static string? ValidHost(string? host, string field = "--host") =>
        host is null ? null : Validated(() => RunValidation.Hostname(host, field));

    /// <summary>Parses a time a run will carry, refusing what the store would refuse (before 1970, far in the future).</summary>
    internal static DateTimeOffset ParseRunTime(string text, string field, DateTimeOffset now)
    {
        var value = TimeText.Parse(text, field, now);
        return Validated(() => RunValidation.Instant(value, field, now));
    }

    internal static DateTimeOffset? ParseTime(string? text, string field, DateTimeOffset now) =>
        text is null ? null : TimeText.Parse(text, field, now);

    private static T Validated<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(StripParameterSuffix(e.Message), e);
        }
    }

    /// <summary>Drops the " (Parameter 'x')" that <see cref="ArgumentException"/> appends: the field is named already.</summary>
    internal static string StripParameterSuffix(string message)
    {
        var at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var text = at < 0 ? message : message[..at];

        // Without the runtime's resource strings (a trimmed build) the suffix is the resource key instead.
        var key = text.IndexOf(" Arg_ParamName_Name", StringComparison.Ordinal);
        text = key < 0 ? text : text[..key];
        var actual = text.IndexOf("\nActual value was", StringComparison.Ordinal);
        return (actual < 0 ? text : text[..actual]).ReplaceLineEndings(" ").Trim();
    }
}
