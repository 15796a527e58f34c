using System.Net.Http.Headers;
using System.Text.Json;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Maintenance;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>
/// The maintenance windows kept by a server, read and changed through its API (changes need an admin key). A window is
/// checked here first, as against a store, so that a broken one is refused in the same words before anything is sent.
/// </summary>
internal sealed class RemoteMaintenanceWindows(ServerConnection server, TimeProvider timeProvider) : IMaintenanceWindows
{
    private const string Path = ServerPaths.Api + "maintenance";

    public async Task<MaintenanceListView> ListAsync(CancellationToken cancellationToken = default) =>
        (await server.GetJsonAsync(Path, ViewJsonContext.Default.MaintenanceListView, cancellationToken).ConfigureAwait(false)).Value;

    /// <remarks>A name the server holds already, without <paramref name="replace"/>, is its refusal (409): a <see cref="ValidationException"/>.</remarks>
    public async Task<MaintenanceWindowView?> SaveAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var valid = MaintenanceWindowValidation.Validate(window with { CreatedAt = timeProvider.GetUtcNow() });
        using var body = new ByteArrayContent(Body(valid));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var path = ServerPaths.WithQuery($"{Path}/{Uri.EscapeDataString(valid.Name)}", ("replace", replace ? "true" : "false"));
        return (await server.SendAsync(HttpMethod.Put, path, body, ViewJsonContext.Default.MaintenanceWindowView, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<MaintenanceRemovedView> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        var valid = RunValidation.ScriptName(name, StoreMaintenanceWindows.NamePath);
        return (await server.SendAsync(HttpMethod.Delete, $"{Path}/{Uri.EscapeDataString(valid)}", null, ViewJsonContext.Default.MaintenanceRemovedView, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>The window as the server's JSON takes it: durations in seconds, as the views give them; fields not given left out.</summary>
    private static byte[] Body(MaintenanceWindow window)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Text(json, "script", window.ScriptName);
            Text(json, "tag", window.Tag);
            Text(json, "cron", window.Cron);
            Text(json, "startsAt", window.StartsAt is { } start ? Timestamps.FormatIso(start) : null);
            Seconds(json, "everySeconds", window.Every);
            Seconds(json, "durationSeconds", window.Duration);
            Text(json, "timeZone", window.TimeZone);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Seconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            json.WriteNumber(name, Views.Seconds.Of(duration));
        }
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
