using System.Text.Json;

namespace ScriptMonitor.Configuration;

/// <summary>
/// The settings file, JSON: <c>{ "database": "…", "lockDirectory": "…", "spoolDirectory": "…", "cronControl": "…",
/// "server": "…", "key": "…" }</c>.
/// Every entry is optional; a missing file is no settings at all. An entry given must not be empty, and a relative
/// path in it is taken from the file's own directory (<see cref="ResolvePath"/>), not from wherever a command runs.
/// </summary>
/// <param name="Database">Where the runs live: a SQLite path or a PostgreSQL connection string.</param>
/// <param name="LockDirectory">Where the per-script locks are kept.</param>
/// <param name="SpoolDirectory">Where runs that could not be recorded wait.</param>
/// <param name="CronControl">The cron control file.</param>
public sealed record ConfigFile(string? Database, string? LockDirectory, string? SpoolDirectory, string? CronControl)
{
    /// <summary>The ScriptMonitor server to record through and read from, a URL.</summary>
    public string? Server { get; init; }

    /// <summary>The key to present to <see cref="Server"/>.</summary>
    public string? Key { get; init; }

    /// <summary>The directory of the file: what relative paths in it are relative to.</summary>
    public string Directory { get; init; } = System.IO.Directory.GetCurrentDirectory();

    /// <summary>A path entry made absolute: <c>~/</c> is the home directory, and a relative path is beside the file.</summary>
    /// <param name="entry">The entry as written in the file.</param>
    public string ResolvePath(string entry) => StoreLocator.FullPath(entry.Trim(), Directory);

    /// <summary>Reads the file at <paramref name="path"/>; null when there is none.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ConfigurationException">The file exists but cannot be read, is not JSON, or an entry is empty or not a string.</exception>
    public static ConfigFile? Read(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Configuration file {path} cannot be read: {e.Message}", e);
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"Configuration file {path} must hold a JSON object.");
            }

            return new ConfigFile(
                StringEntry(document.RootElement, "database", path),
                StringEntry(document.RootElement, "lockDirectory", path),
                StringEntry(document.RootElement, "spoolDirectory", path),
                StringEntry(document.RootElement, "cronControl", path))
            {
                Server = StringEntry(document.RootElement, "server", path),
                Key = StringEntry(document.RootElement, "key", path),
                Directory = Path.GetDirectoryName(Path.GetFullPath(path))!,
            };
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"Configuration file {path} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? StringEntry(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ConfigurationException($"Configuration file {path}: \"{name}\" must be a string.");
        }

        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text)
            ? throw new ConfigurationException($"Configuration file {path}: \"{name}\" is empty; give a value or remove the entry to use the default.")
            : text;
    }
}
