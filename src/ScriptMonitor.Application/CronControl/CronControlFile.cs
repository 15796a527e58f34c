using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Application.CronControl;

/// <summary>
/// The central switch that disables scripts without editing crontabs. An INI file:
/// <code>
/// [DEFAULT]
/// enabled = true
///
/// [nightly-backup]
/// enabled = false
/// </code>
/// A script's own section wins over <c>[DEFAULT]</c>. A missing file enables everything. Reading fails open: an
/// unreadable or malformed file enables the script and logs a warning, because a broken switch must not silently
/// stop every job on the host.
/// </summary>
public static partial class CronControlFile
{
    private const string DefaultSection = "DEFAULT";

    /// <summary>Whether the script may run, and why not when it may not.</summary>
    public static (bool Enabled, string? Reason) Check(string path, string scriptName, ILogger logger)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException || (e is DirectoryNotFoundException && !Directory.Exists(path)))
        {
            return (true, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, e.Message);
            return (true, null);
        }

        if (!TryParse(lines, out var sections, out var problem))
        {
            LogUnreadable(logger, path, problem);
            return (true, null);
        }

        foreach (var section in new[] { scriptName, DefaultSection })
        {
            if (sections.TryGetValue(section, out var enabled))
            {
                return enabled
                    ? (true, null)
                    : (false, $"disabled by [{section}] in cron control file {path}");
            }
        }

        return (true, null);
    }

    private static bool TryParse(string[] lines, out Dictionary<string, bool> sections, out string problem)
    {
        sections = new Dictionary<string, bool>(StringComparer.Ordinal);
        problem = string.Empty;
        string? section = null;
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                {
                    problem = $"line {number}: a section header must read [name]";
                    return false;
                }

                section = line[1..^1].Trim();
                continue;
            }

            var separator = line.IndexOfAny(['=', ':']);
            if (separator < 0 || section is null)
            {
                problem = $"line {number}: expected 'enabled = true|false' inside a [section]";
                return false;
            }

            var key = line[..separator].Trim();
            var value = line[(separator + 1)..].Trim();
            if (!key.Equals("enabled", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!TryParseBoolean(value, out var enabled))
            {
                problem = $"line {number}: enabled must be true or false, not '{value}'";
                return false;
            }

            sections[section] = enabled;
        }

        return true;
    }

    private static bool TryParseBoolean(string value, out bool result)
    {
        switch (value.ToUpperInvariant())
        {
            case "TRUE" or "YES" or "ON" or "1":
                result = true;
                return true;
            case "FALSE" or "NO" or "OFF" or "0":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cron control file {Path} cannot be used ({Problem}); treating the script as enabled.")]
    private static partial void LogUnreadable(ILogger logger, string path, string problem);
}
