using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ScriptMonitor.Cli.Hosting;

namespace ScriptMonitor.Cli.Commands;

/// <summary>Writes a <c>--json</c> answer with the source-generated serializer (no reflection, safe under Native AOT).</summary>
internal static class Json
{
    internal static int Write<T>(CliContext context, T value, JsonTypeInfo<T> type, int status = ExitCodes.Ok)
    {
        context.Terminal.Out.WriteLine(JsonSerializer.Serialize(value, type));
        return status;
    }
}
