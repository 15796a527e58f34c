using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Cli.Hosting;

namespace ScriptMonitor.Cli.Commands;

/// <summary>Writes a <c>--json</c> answer with the views' source-generated serializer (no reflection, safe under Native AOT).</summary>
internal static class Json
{
    /// <summary>Output goes to a terminal or a program, never into HTML: "+" in an offset stays "+".</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static int Write<T>(CliContext context, T value, JsonTypeInfo<T> type, int status = ExitCodes.Ok)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        context.Terminal.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        return status;
    }
}
