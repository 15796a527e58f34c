using System.Buffers;
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
    private const int InitialBufferSize = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static int Write<T>(CliContext context, T value, JsonTypeInfo<T> type, int status = ExitCodes.Ok)
    {
        // The writer fills the buffer's memory itself; a stream in between would copy every block once more.
        var buffer = new ArrayBufferWriter<byte>(InitialBufferSize);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        context.Terminal.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        return status;
    }

    /// <summary>
    /// The answer of a change that finds nothing to change (exit 1): the view with <c>--json</c>; otherwise one line,
    /// on standard output when the change was made, on standard error when there was nothing to change.
    /// </summary>
    internal static int WriteChange<T>(CliContext context, T view, JsonTypeInfo<T> type, bool json, bool changed, string changedLine, string unchangedLine)
    {
        var status = changed ? ExitCodes.Ok : ExitCodes.NotFound;
        if (json)
        {
            return Write(context, view, type, status);
        }

        (changed ? context.Terminal.Out : context.Terminal.Error).WriteLine(changed ? changedLine : unchangedLine);
        return status;
    }
}
