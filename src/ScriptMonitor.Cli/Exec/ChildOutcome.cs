namespace ScriptMonitor.Cli.Exec;

/// <summary>How a wrapped command ended.</summary>
/// <param name="ExitCode">Its exit status; 128+N when signal N ended it, as a shell reports it.</param>
/// <param name="KilledBy">The signal that ended it, when one did (as opposed to an exit with status 128+N).</param>
/// <param name="ForwardedSignal">The last signal scriptmon received and passed on to it, if any.</param>
/// <param name="TimedOut">Whether <c>--timeout</c> ran out and scriptmon terminated it.</param>
/// <param name="Killed">Whether it outlived the grace after SIGTERM and was sent SIGKILL.</param>
/// <param name="StartError">Why it could not be started at all, if it could not.</param>
internal sealed record ChildOutcome(int ExitCode, int? KilledBy, int? ForwardedSignal, bool TimedOut, bool Killed, string? StartError)
{
    internal bool Succeeded => ExitCode == 0 && !TimedOut && StartError is null;

    /// <summary>One line that says why the run failed, for the stored output; null for a success.</summary>
    internal string? Describe(TimeSpan? timeout, TimeSpan grace)
    {
        if (StartError is not null)
        {
            return $"could not start the command: {StartError} (exit status {ExitCode})";
        }

        if (TimedOut)
        {
            var how = Killed
                ? $"sent SIGTERM, then SIGKILL after {Output.Durations.Format(grace)}"
                : "sent SIGTERM";
            return $"timed out after {Output.Durations.Format(timeout ?? TimeSpan.Zero)}: {how}; exit status {ExitCode}";
        }

        if (Succeeded)
        {
            return null;
        }

        var signal = KilledBy;
        if (ForwardedSignal is { } forwarded)
        {
            return $"received {Posix.Name(forwarded)} and forwarded it to the command, which ended with exit status {ExitCode}"
                + (signal is { } s ? $" (killed by {Posix.Name(s)})" : string.Empty);
        }

        return signal is { } killedBy
            ? $"killed by {Posix.Name(killedBy)} (exit status {ExitCode})"
            : $"exited with status {ExitCode}";
    }
}
