using System.Text.Json.Serialization;
using ScriptMonitor.Server.Api;

namespace ScriptMonitor.Server.Ingest;

/// <summary>The server's own request and response bodies, serialized without reflection (Native AOT).</summary>
// A name given twice is refused rather than the last one winning: a run whose id or script depends on the parser is
// not recorded. Instants must carry their offset (InstantJsonConverter).
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false, Converters = [typeof(InstantJsonConverter)])]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(RunRecord[]))]
[JsonSerializable(typeof(RunBatchItem[]))]
[JsonSerializable(typeof(RunStartRecord))]
[JsonSerializable(typeof(RunCompletionRecord))]
[JsonSerializable(typeof(RunReceipt))]
[JsonSerializable(typeof(SkipRecord))]
[JsonSerializable(typeof(SpoolBacklogRecord))]
[JsonSerializable(typeof(FieldProblem[]))]
[JsonSerializable(typeof(ScriptListView))]
[JsonSerializable(typeof(ScriptView))]
[JsonSerializable(typeof(ExpectationPatchRequest))]
[JsonSerializable(typeof(PauseRequest))]
[JsonSerializable(typeof(MaintenanceWindowRequest))]
[JsonSerializable(typeof(KeyCreateRequest))]
[JsonSerializable(typeof(AuditListView))]
[JsonSerializable(typeof(WhoAmIView))]
[JsonSerializable(typeof(ScriptMonitor.Server.Dashboard.OverviewView))]
[JsonSerializable(typeof(ScriptMonitor.Server.Dashboard.DueTimesView))]
[JsonSerializable(typeof(ScriptMonitor.Server.Dashboard.RuntimesView))]
[JsonSerializable(typeof(ScriptMonitor.Server.Dashboard.PingIdentityView))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
