using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The event's JSON, source-generated (the server is a Native AOT build: no reflection): what the outbox keeps, what
/// <c>$JSON</c> gives a webhook and what a command reads on its standard input. Names camelCase, states and kinds by
/// name, instants ISO 8601 in UTC.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertEvent))]
[JsonSerializable(typeof(string))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;

/// <summary>Writes and reads an <see cref="AlertEvent"/> as JSON.</summary>
internal static class AlertJson
{
    /// <summary>The event as compact JSON.</summary>
    internal static string Serialize(AlertEvent alert) => JsonSerializer.Serialize(alert, AlertJsonContext.Default.AlertEvent);

    /// <summary>An event from its JSON (a notification's payload).</summary>
    /// <exception cref="JsonException">The text is not an event.</exception>
    internal static AlertEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.AlertEvent) ?? throw new JsonException("The payload is null, not an event.");
}
