using System.Text.Json;

namespace ScriptMonitor.Configuration;

/// <summary>
/// The settings file, JSON: <c>{ "database": "…", "lockDirectory": "…", "spoolDirectory": "…", "cronControl": "…",
/// "server": "…", "key": "…" }</c>.
/// Every entry is optional; a missing file is no settings at all. An entry given must not be empty, and a relative
/// path in it is taken from the file's own directory (<see cref="ResolvePath"/>), not from wherever a command runs.
/// </summary>
internal sealed record ConfigFile(string? Database, string? LockDirectory, string? SpoolDirectory, string? CronControl)
{
    /// <summary>The ScriptMonitor server to record through and read from, a URL.</summary>
    internal string? Server { get; init; }

    /// <summary>The key to present to <see cref="Server"/>.</summary>
    internal string? Key { get; init; }

    /// <summary>The directory of the file: what relative paths in it are relative to.</summary>
    internal string Directory { get; init; } = System.IO.Directory.GetCurrentDirectory();

    /// <summary>A path entry made absolute: <c>~/</c> is the home directory, and a relative path is beside the file.</summary>
    internal string ResolvePath(string entry) => StoreLocator.FullPath(entry.Trim(), Directory);

    internal static ConfigFile? Read(string path)
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
