using System.Text.Json.Serialization;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Output;

// What --json prints. Field names are camelCase, times ISO 8601 with offset (the same text the tables show),
// durations in seconds. These shapes are an interface: add fields, never rename or remove them.

internal sealed record RunJson(
    Guid RunId,
    string Script,
    string Host,
    string StartedAt,
    string? CompletedAt,
    string Outcome,
    int? ExitCode,
    double? DurationSeconds,
    string? Output)
{
    internal static RunJson From(ScriptRun run) => new(
        run.RunId,
        run.ScriptName,
        run.Hostname,
        Timestamps.FormatIso(run.StartedAt),
        run.CompletedAt is { } completed ? Timestamps.FormatIso(completed) : null,
        OutcomeText(run.Outcome),
        run.ExitCode,
        run.Duration is { } duration ? Durations.Seconds(duration) : null,
        run.Output);

    internal static string OutcomeText(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Running => "running",
        RunOutcome.Succeeded => "succeeded",
        RunOutcome.Failed => "failed",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

internal sealed record ActivityJson(string Script, string Host, string StartedAt, string CompletedAt, double DurationSeconds);

internal sealed record RunsJson(string Script, IReadOnlyList<RunJson> Runs);

internal sealed record StatusJson(string Store, string GeneratedAt, IReadOnlyList<ScriptStatusJson> Scripts);

internal sealed record ScriptStatusJson(
    string Name,
    RunJson? LastSuccess,
    double? LastSuccessAgeSeconds,
    RunJson? LastFailure,
    int RunsLast24Hours,
    double? MedianSeconds,
    string? Health,
    string? Reason);

/// <summary>An expectation; <c>Change</c> is set only by a command that set it: "set", "updated" or "unchanged".</summary>
internal sealed record ExpectationJson(
    string Script,
    string ScheduleKind,
    double? EverySeconds,
    string? Cron,
    string? TimeZone,
    double GraceSeconds,
    double? MinRuntimeSeconds,
    double? MaxRuntimeSeconds,
    string HostMode,
    IReadOnlyList<string> Hosts,
    int AtLeast,
    int FailuresTolerated,
    double? AbandonAfterSeconds,
    int SkipsBeforeAlert,
    bool Paused,
    string? PausedUntil,
    IReadOnlyList<string> Tags,
    string? Change = null)
{
    internal static ExpectationJson From(ScriptMonitor.Health.ScriptExpectation e) => new(
        e.ScriptName,
        e.Schedule switch { ScriptMonitor.Health.PeriodSchedule => "period", ScriptMonitor.Health.CronSchedule => "cron", _ => "learned" },
        e.Schedule is ScriptMonitor.Health.PeriodSchedule p ? Durations.Seconds(p.Period) : null,
        (e.Schedule as ScriptMonitor.Health.CronSchedule)?.Expression,
        (e.Schedule as ScriptMonitor.Health.CronSchedule)?.TimeZone,
        Durations.Seconds(e.Grace),
        e.MinRuntime is { } min ? Durations.Seconds(min) : null,
        e.MaxRuntime is { } max ? Durations.Seconds(max) : null,
        e.Hosts.Mode switch { ScriptMonitor.Health.HostMode.Each => "each", ScriptMonitor.Health.HostMode.AtLeast => "atLeast", _ => "any" },
        e.Hosts.Hosts,
        e.Hosts.MinimumCount,
        e.FailuresTolerated,
        e.AbandonAfter is { } abandonAfter ? Durations.Seconds(abandonAfter) : null,
        e.SkipsBeforeAlert,
        e.Paused,
        e.PausedUntil is { } until ? Timestamps.FormatIso(until) : null,
        e.Tags);
}

internal sealed record RunClosedJson(Guid RunId, string? Script, bool Closed, string? Problem);

internal sealed record ExpectationListJson(string Store, IReadOnlyList<ExpectationJson> Expectations);

internal sealed record ExpectationRemovedJson(string Script, bool Removed);

internal sealed record LearnedJson(
    string Script,
    double PeriodSeconds,
    double GraceSeconds,
    double RuntimeMedianSeconds,
    double RuntimeLowSeconds,
    double RuntimeHighSeconds,
    int SampleCount,
    bool Saved);

internal sealed record StatsJson(
    string Script,
    string? Host,
    string Since,
    string Until,
    int Count,
    double MeanSeconds,
    double MedianSeconds,
    double P95Seconds,
    double MinSeconds,
    double MaxSeconds,
    IReadOnlyList<double> DurationsSeconds,
    IReadOnlyList<HistogramBucketJson> Histogram);

internal sealed record HistogramBucketJson(double FromSeconds, double ToSeconds, int Count);

internal sealed record SpoolEntryJson(
    string File,
    Guid RunId,
    string Script,
    string Host,
    string StartedAt,
    string? CompletedAt,
    string Outcome,
    int? ExitCode,
    string SpooledAt,
    string? Reason);

internal sealed record SpoolListJson(string Directory, IReadOnlyList<SpoolEntryJson> Entries, IReadOnlyList<SpoolSkipJson> Skips, IReadOnlyList<UnreadableSpoolEntryJson> Unreadable, int Rejected);

internal sealed record SpoolSkipJson(string File, Guid EventId, string Script, string Host, string SkippedAt, string Holder, string SpooledAt, string? Reason);

internal sealed record UnreadableSpoolEntryJson(string Path, string Reason);

internal sealed record SpoolFlushJson(string Store, int Delivered, int AlreadyStored, int Rejected, int Remaining, string? Error);

internal sealed record PruneJson(string Store, string OlderThan, int KeepLast, long Deleted);

internal sealed record DbInfoJson(
    string Store,
    string Source,
    bool? Exists,
    int? SchemaVersion,
    int LatestSchemaVersion,
    long? SizeBytes,
    long RunCount,
    long ScriptCount,
    string ConfigFile,
    string LockDirectory,
    string SpoolDirectory,
    string CronControl,
    string? Problem);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunJson))]
[JsonSerializable(typeof(ActivityJson))]
[JsonSerializable(typeof(RunsJson))]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(StatsJson))]
[JsonSerializable(typeof(SpoolListJson))]
[JsonSerializable(typeof(SpoolFlushJson))]
[JsonSerializable(typeof(PruneJson))]
[JsonSerializable(typeof(DbInfoJson))]
[JsonSerializable(typeof(ExpectationJson))]
[JsonSerializable(typeof(ExpectationListJson))]
[JsonSerializable(typeof(ExpectationRemovedJson))]
[JsonSerializable(typeof(LearnedJson))]
[JsonSerializable(typeof(RunClosedJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
