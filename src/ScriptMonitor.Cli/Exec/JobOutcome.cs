using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Health;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Exec;

/// <summary>How a wrapped command ended, and what scriptmon has to say about it.</summary>
/// <param name="ExitCode">Its exit status; 128+N when signal N ended it; 125–127 when it could not be started.</param>
/// <param name="KilledBy">The signal that ended it, when one did (as opposed to an exit with status 128+N).</param>
/// <param name="ForwardedSignal">The last signal scriptmon received and passed on to it, if any.</param>
/// <param name="TimedOut">Whether <c>--timeout</c> ran out and scriptmon signalled its process group.</param>
/// <param name="Killed">Whether it outlived the grace after SIGTERM and its group was sent SIGKILL.</param>
/// <param name="StartError">Why it could not be started at all, if it could not.</param>
/// <param name="Warnings">scriptmon's own problems during the run (output that could not be passed on).</param>
internal sealed record JobOutcome(
    int ExitCode,
    int? KilledBy,
    int? ForwardedSignal,
    bool TimedOut,
    bool Killed,
    string? StartError,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Its exit status was lost: another process collected it.</summary>
    internal bool StatusLost { get; init; }

    internal bool Succeeded => ExitCode == 0 && !TimedOut && StartError is null && !StatusLost;

    /// <summary>
    /// What scriptmon exits with: the command's own status, except 124 after a timeout (as <c>timeout(1)</c>; the
    /// command's own status stays in the recorded run) and 125 when its status is unknown.
    /// </summary>
    internal int CallerStatus => TimedOut ? ExitCodes.TimedOut : StatusLost ? ExitCodes.OwnFailure : ExitCode;

    internal static JobOutcome NotStarted(int status, string reason) => new(status, null, null, false, false, reason, []);

    /// <summary>
    /// What the stored output ends with: a line saying why the run failed, and a line per warning; null for a
    /// success without warnings.
    /// </summary>
    internal string? Describe(TimeSpan? timeout, TimeSpan grace)
    {
        var lines = new List<string>();
        if (Reason(timeout, grace) is { } reason)
        {
            lines.Add(reason);
        }

        lines.AddRange(Warnings.Select(warning => $"warning: {warning}"));
        return lines.Count == 0 ? null : string.Join('\n', lines.Select(line => $"[scriptmon] {line}"));
    }

    private string? Reason(TimeSpan? timeout, TimeSpan grace)
    {
        if (StartError is not null)
        {
            return $"could not start the command: {StartError} (exit status {ExitCode})";
        }

        if (StatusLost)
        {
            return $"the command's exit status was lost: another process collected it (scriptmon exited with {ExitCodes.OwnFailure})";
        }

        if (TimedOut)
        {
            var how = Killed
                ? $"sent SIGTERM, then SIGKILL after {DurationText.Format(grace)}"
                : "sent SIGTERM";
            return $"timed out after {DurationText.Format(timeout ?? TimeSpan.Zero)}: {how} to its process group; exit status {ExitCode} (scriptmon exited with {ExitCodes.TimedOut})";
        }

        if (Succeeded)
        {
            return null;
        }

        if (ForwardedSignal is { } forwarded)
        {
            return $"received {Posix.Name(forwarded)} and forwarded it to the command, which ended with exit status {ExitCode}"
                + (KilledBy is { } s ? $" (killed by {Posix.Name(s)})" : string.Empty);
        }

        return KilledBy is { } killedBy
            ? $"killed by {Posix.Name(killedBy)} (exit status {ExitCode})"
            : $"exited with status {ExitCode}";
    }
}
