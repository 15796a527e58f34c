using System.Text.Json.Serialization;

namespace ScriptMonitor.Application.Views;

/// <summary>
/// The one serializer of every view, source-generated (no reflection, safe under Native AOT and trimming): field names
/// camelCase, times ISO 8601 with offset, durations in seconds. The command's <c>--json</c> and the server's API both
/// write views with it, so the two cannot drift.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunView))]
[JsonSerializable(typeof(RunsView))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(StatsView))]
[JsonSerializable(typeof(SpoolListView))]
[JsonSerializable(typeof(SpoolFlushView))]
[JsonSerializable(typeof(PruneView))]
[JsonSerializable(typeof(DbInfoView))]
[JsonSerializable(typeof(UserStoreView))]
[JsonSerializable(typeof(ExpectationView))]
[JsonSerializable(typeof(ExpectationListView))]
[JsonSerializable(typeof(ExpectationRemovedView))]
[JsonSerializable(typeof(LearnedView))]
[JsonSerializable(typeof(EventsView))]
[JsonSerializable(typeof(RunClosedView))]
[JsonSerializable(typeof(CheckView))]
[JsonSerializable(typeof(KeyListView))]
[JsonSerializable(typeof(KeyCreatedView))]
[JsonSerializable(typeof(KeyRevokedView))]
[JsonSerializable(typeof(Crontabs.CrontabImportView))]
[JsonSerializable(typeof(FlipsView))]
[JsonSerializable(typeof(NotificationsView))]
[JsonSerializable(typeof(MaintenanceWindowView))]
[JsonSerializable(typeof(MaintenanceListView))]
[JsonSerializable(typeof(MaintenanceRemovedView))]
public sealed partial class ViewJsonContext : JsonSerializerContext;
