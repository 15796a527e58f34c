using System.Text.Json.Serialization;

namespace ScriptMonitor.Application.Remote;

/// <summary>The bodies a client of the server reads and writes, serialized without reflection (the CLI is Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServerProblem))]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(RunReceipt))]
[JsonSerializable(typeof(SkipRequest))]
[JsonSerializable(typeof(SkipReceipt))]
[JsonSerializable(typeof(SpoolBacklogRequest))]
internal sealed partial class RemoteJsonContext : JsonSerializerContext;
