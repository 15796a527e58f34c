using System.Text.Json.Serialization;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Spooling;

/// <summary>One spooled run as it is written to disk. <see cref="Format"/> changes only with a new reader for the old one.</summary>
internal sealed record SpoolEntry(
    int Format,
    Guid RunId,
    string ScriptName,
    string Hostname,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    RunOutcome Outcome,
    int? ExitCode,
    string? Output,
    DateTimeOffset SpooledAt,
    string? Reason)
{
    internal const int CurrentFormat = 1;

    internal static SpoolEntry From(ScriptRun run, DateTimeOffset spooledAt, string? reason) => new(
        CurrentFormat, run.RunId, run.ScriptName, run.Hostname, run.StartedAt, run.CompletedAt, run.Outcome, run.ExitCode, run.Output, spooledAt, reason);

    internal ScriptRun ToRun() => new(RunId, ScriptName, Hostname, StartedAt, CompletedAt, Outcome, ExitCode, Output);
}

/// <summary>One spooled skipped run as it is written to disk.</summary>
internal sealed record SkipSpoolEntry(
    int Format,
    Guid EventId,
    string ScriptName,
    string Hostname,
    DateTimeOffset SkippedAt,
    string Holder,
    DateTimeOffset SpooledAt,
    string? Reason)
{
    internal const int CurrentFormat = 1;

    internal static SkipSpoolEntry From(ScriptSkip skip, DateTimeOffset spooledAt, string? reason) => new(
        CurrentFormat, skip.EventId, skip.ScriptName, skip.Hostname, skip.SkippedAt, skip.Holder, spooledAt, reason);

    internal ScriptSkip ToSkip() => new(EventId, ScriptName, Hostname, SkippedAt, Holder);
}

[JsonSourceGenerationOptions(WriteIndented = false, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpoolEntry))]
[JsonSerializable(typeof(SkipSpoolEntry))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
