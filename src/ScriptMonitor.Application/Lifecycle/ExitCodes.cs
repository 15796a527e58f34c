namespace ScriptMonitor.Application.Lifecycle;

/// <summary>
/// The exit statuses of every ScriptMonitor program, in one table: the <c>scriptmon</c> command (whose <c>exec</c>
/// passes its job's own status through instead) and scripts built on the base class. Cron, shells and monitoring
/// systems read them, so a value never changes meaning.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: the work succeeded, or a script is disabled by cron control, which must not page anyone.</summary>
    public const int Ok = 0;

    /// <summary>A script failed, or a run did not start because another run holds the lock or the configuration is broken.</summary>
    public const int Failure = 1;

    /// <summary>Nothing to show (no successful run, no expectation, too little history): a query's honest "no".</summary>
    public const int NotFound = 1;

    /// <summary>Another run holds the script's lock: the run is skipped. The same for <c>exec --lock</c> and the base class.</summary>
    public const int LockHeld = 1;

    /// <summary>Bad input: an unknown command or option, a malformed value, an unknown script. Nothing was written.</summary>
    public const int Usage = 2;

    /// <summary>The store, the configuration or the spool cannot be used; the line on stderr says which and why.</summary>
    public const int Unavailable = 3;

    /// <summary>
    /// The command's output could not be written (standard output closed, disk full): it did its work but could not
    /// say so, which is no success. The same status as <see cref="Unavailable"/>, which is also UNKNOWN for a check.
    /// </summary>
    public const int OutputFailed = Unavailable;

    /// <summary>A fault of ScriptMonitor's own (EX_SOFTWARE of sysexits.h): one line names it instead of a stack trace.</summary>
    public const int Internal = 70;

    /// <summary><c>exec --timeout</c> ran out and the command was stopped (as <c>timeout(1)</c> reports it).</summary>
    public const int TimedOut = 124;

    /// <summary>
    /// <c>exec</c> itself failed (as <c>timeout(1)</c> and <c>env</c> report their own failures): the lock directory
    /// cannot be used, no process could be created, or the command's exit status was lost.
    /// </summary>
    public const int OwnFailure = 125;

    /// <summary>The command to run was found but cannot be executed (as the shell reports it).</summary>
    public const int CommandNotExecutable = 126;

    /// <summary>The command to run was not found (as the shell reports it).</summary>
    public const int CommandNotFound = 127;

    /// <summary>128 + SIGINT, as a shell reports a process stopped by Ctrl-C.</summary>
    public const int Interrupted = 128 + 2;

    /// <summary>
    /// Whoever read the output went away (<c>scriptmon status | head -1</c>): 128 + SIGPIPE, the status a shell shows
    /// for any command a closed pipe ended, and no message.
    /// </summary>
    public const int BrokenPipe = 128 + 13;

    /// <summary>128 + SIGTERM, as a shell reports a process stopped by <c>kill</c>.</summary>
    public const int Terminated = 128 + 15;
}
