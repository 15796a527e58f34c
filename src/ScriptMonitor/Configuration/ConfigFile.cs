using System.Text.Json;

namespace ScriptMonitor.Configuration;

/// <summary>
/// The settings file, JSON: <c>{ "database": "…", "lockDirectory": "…", "spoolDirectory": "…", "cronControl": "…" }</c>.
/// Every entry is optional; a missing file is no settings at all.
/// </summary>
internal sealed record ConfigFile(string? Database, string? LockDirectory, string? SpoolDirectory, string? CronControl)
{
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
                StringEntry(document.RootElement, "cronControl", path));
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

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ConfigurationException($"Configuration file {path}: \"{name}\" must be a string.");
    }
}
