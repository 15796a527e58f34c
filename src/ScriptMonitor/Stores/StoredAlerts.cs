using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// How every store writes the alert loop's structured values as text, the same in every backend: states and kinds by
/// name (so that renumbering an enum never changes what a stored row means), a reason's facts, a channel's settings and
/// lists as JSON. Instants in JSON are ISO 8601 in UTC to the microsecond; durations are whole microseconds.
/// </summary>
public static class StoredAlerts
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    /// <summary>A state as stored: its name.</summary>
    /// <param name="state">The state.</param>
    public static string StateName(HealthState state) => state.ToString();

    /// <summary>A stored state's name read back.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="FormatException">The name is no state this build knows.</exception>
    public static HealthState State(string name) => Parse<HealthState>(name);

    /// <summary>A stored enum value's name read back, exactly as <see cref="Enum.ToString()"/> wrote it.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="name">The name.</param>
    /// <exception cref="FormatException">The name is no value of <typeparamref name="T"/> this build knows.</exception>
    public static T Parse<T>(string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(name, ignoreCase: false, out var value) && Enum.IsDefined(value) && !name.AsSpan().ContainsAnyInRange('0', '9')
            ? value
            : throw new FormatException($"'{name}' is no {typeof(T).Name} this version knows.");

    /// <summary>A reason's facts as JSON; only the facts it has.</summary>
    /// <param name="facts">The facts.</param>
    public static string FactsJson(HealthFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Write(writer =>
        {
            writer.WriteStartObject();
            Instant(writer, "dueAt", facts.DueAt);
            Instant(writer, "lastSuccessAt", facts.LastSuccessAt);
            Instant(writer, "runStartedAt", facts.RunStartedAt);
            Duration(writer, "observedDurationUs", facts.ObservedDuration);
            Duration(writer, "limitDurationUs", facts.LimitDuration);
            if (facts.ObservedCount is { } observed)
            {
                writer.WriteNumber("observedCount", observed);
            }

            if (facts.ObservedCountIsLowerBound)
            {
                writer.WriteBoolean("observedCountIsLowerBound", true);
            }

            if (facts.LimitCount is { } limit)
            {
                writer.WriteNumber("limitCount", limit);
            }

            if (facts.ExitCode is { } exitCode)
            {
                writer.WriteNumber("exitCode", exitCode);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>Facts read back from <see cref="FactsJson"/>; members this build does not know are skipped.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="FormatException">It is not a JSON object of facts.</exception>
    public static HealthFacts Facts(string json)
    {
        using var document = Parse(json, JsonValueKind.Object);
        var root = document.RootElement;
        var facts = new HealthFacts
        {
            DueAt = Instant(root, "dueAt"),
            LastSuccessAt = Instant(root, "lastSuccessAt"),
            RunStartedAt = Instant(root, "runStartedAt"),
            ObservedDuration = Duration(root, "observedDurationUs"),
            LimitDuration = Duration(root, "limitDurationUs"),
            ObservedCount = root.TryGetProperty("observedCount", out var observed) ? observed.GetInt64() : null,
            ObservedCountIsLowerBound = root.TryGetProperty("observedCountIsLowerBound", out var lower) && lower.GetBoolean(),
            LimitCount = root.TryGetProperty("limitCount", out var limit) ? limit.GetInt64() : null,
            ExitCode = root.TryGetProperty("exitCode", out var exit) ? exit.GetInt32() : null,
        };
        return facts == HealthFacts.None ? HealthFacts.None : facts;
    }

    /// <summary>Named values (a channel's settings or secrets) as a JSON object, by name.</summary>
    /// <param name="values">The values.</param>
    public static string MapJson(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Write(writer =>
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>Named values read back from <see cref="MapJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="FormatException">It is not a JSON object of strings.</exception>
    public static IReadOnlyDictionary<string, string> Map(string json)
    {
        using var document = Parse(json, JsonValueKind.Object);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.GetString() ?? throw new FormatException($"The stored value '{property.Name}' is null.");
        }

        return values;
    }

    /// <summary>Names (tags, script names) as a JSON array.</summary>
    /// <param name="names">The names.</param>
    public static string ListJson(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Names read back from <see cref="ListJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="FormatException">It is not a JSON array of strings.</exception>
    public static IReadOnlyList<string> List(string json)
    {
        using var document = Parse(json, JsonValueKind.Array);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("A stored name is null."))];
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonDocument Parse(string json, JsonValueKind kind)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The stored JSON cannot be read: {e.Message}", e);
        }

        if (document.RootElement.ValueKind != kind)
        {
            document.Dispose();
            throw new FormatException($"The stored JSON is a {document.RootElement.ValueKind}, not a {kind}.");
        }

        return document;
    }

    private static void Instant(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            writer.WriteString(name, Timestamps.Normalize(instant).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
        }
    }

    private static void Duration(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            writer.WriteNumber(name, duration.Ticks / TimeSpan.TicksPerMicrosecond);
        }
    }

    private static DateTimeOffset? Instant(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? Timestamps.Normalize(DateTimeOffset.Parse(value.GetString() ?? throw new FormatException($"{name} is null."), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
            : null;

    private static TimeSpan? Duration(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? TimeSpan.FromTicks(value.GetInt64() * TimeSpan.TicksPerMicrosecond) : null;
}
