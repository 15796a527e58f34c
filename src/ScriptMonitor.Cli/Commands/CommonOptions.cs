using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Application.Text;

namespace ScriptMonitor.Cli.Commands;

/// <summary>Options and arguments several commands share, created fresh for each (a symbol has one parent).</summary>
internal static class CommonOptions
{
    /// <summary>How commands name a script's name in their messages.</summary>
    internal const string NameArgument = "NAME";

    internal static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text (times ISO 8601 with offset, durations in seconds)." };

    internal static Argument<string> ScriptName(string description) => new(NameArgument) { Description = description };

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
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        var range = max == int.MaxValue
            ? $"of at least {min.ToString(CultureInfo.InvariantCulture)}"
            : $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        result.AddError($"{name} must be a whole number {range} (got '{text}').");
        return null;
    }

    /// <summary>Reads an optional time option.</summary>
    internal static DateTimeOffset? ParseTime(string? text, string field, DateTimeOffset now) =>
        text is null ? null : TimeText.Parse(text, field, now);
}
