using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// Instants in request bodies: ISO 8601 with their offset and nothing else. Without one, System.Text.Json would read
/// <c>2026-11-29T02:15:00</c> in the server's own time zone, so the same request would store another instant on a
/// server elsewhere; such a value is refused, naming its field, instead.
/// </summary>
internal sealed class InstantJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>What a refused instant is told, after its field's name.</summary>
    public const string Rule = "must be an instant in ISO 8601 with its offset, e.g. 2026-11-29T02:15:00Z or 2026-11-29T03:15:00+01:00";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var instant) && QueryValues.HasOffset(reader.GetString()!))
        {
            return instant;
        }

        throw new InstantFormatException();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

/// <summary>An instant without its offset, or not an instant: the body reader names the field and <see cref="InstantJsonConverter.Rule"/>.</summary>
internal sealed class InstantFormatException() : JsonException(InstantJsonConverter.Rule);
