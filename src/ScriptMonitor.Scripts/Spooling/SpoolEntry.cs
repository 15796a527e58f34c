using System.Text.Json.Serialization;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Scripts.Spooling;

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

[JsonSourceGenerationOptions(WriteIndented = false, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpoolEntry))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
