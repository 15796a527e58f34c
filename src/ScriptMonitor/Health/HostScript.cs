using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>A <c>HOST:SCRIPT</c> pair of the original monitor's command line.</summary>
/// <param name="Host">The host the script must have run on.</param>
/// <param name="Script">The script's name.</param>
public sealed record HostScript(string Host, string Script)
{
    /// <summary>
    /// Splits at the first colon: host names cannot hold one, script names may (<c>db1:backup:full</c> is the script
    /// <c>backup:full</c> on <c>db1</c>).
    /// </summary>
    /// <param name="text">The argument as given.</param>
    /// <param name="pair">The pair, when it parses.</param>
    /// <param name="error">Why it does not, when it does not.</param>
    public static bool TryParse(string? text, out HostScript? pair, out string? error)
    {
        pair = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon < 0)
        {
            error = $"'{text}' must be HOST:SCRIPT.";
            return false;
        }

        var host = text[..colon];
        var script = text[(colon + 1)..];
        try
        {
            RunValidation.Hostname(host, "HOST");
            RunValidation.ScriptName(script, "SCRIPT");
        }
        catch (ValidationException e)
        {
            error = $"'{text}' must be HOST:SCRIPT: {e.Errors[0].Message}";
            return false;
        }

        pair = new HostScript(host, script);
        error = null;
        return true;
    }

    /// <summary>The pair as written on a command line: <c>HOST:SCRIPT</c>.</summary>
    public override string ToString() => $"{Host}:{Script}";
}
