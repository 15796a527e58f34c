namespace ScriptMonitor.Cli.Hosting;

/// <summary>The exit statuses of scriptmon's own commands (<c>exec</c> exits with its command's status instead).</summary>
internal static class ExitCodes
{
    internal const int Ok = 0;

    /// <summary>Nothing to show (no successful run), or the script's lock is held by another run.</summary>
    internal const int NotFound = 1;

    /// <summary>The same status the base class uses when another run holds the lock.</summary>
    internal const int LockHeld = 1;

    /// <summary>Bad input: an unknown command or option, a malformed value, an unknown script. Nothing was written.</summary>
    internal const int Usage = 2;

    /// <summary>The store, the configuration or the spool cannot be used; the line on stderr says which and why.</summary>
    internal const int Unavailable = 3;

    /// <summary>
    /// The command's output could not be written (standard output closed, disk full): it did its work but could not
    /// say so, which is no success. The same status as <see cref="Unavailable"/>, which is also UNKNOWN for <c>check</c>.
    /// </summary>
    internal const int OutputFailed = Unavailable;

    /// <summary>
    /// Whoever read the output went away (<c>scriptmon status | head -1</c>): 128 + SIGPIPE, the status a shell shows
    /// for any command a closed pipe ended, and no message.
    /// </summary>
    internal const int BrokenPipe = 128 + 13;

    /// <summary>A fault of scriptmon's own (EX_SOFTWARE of sysexits.h): one line names it instead of a stack trace.</summary>
    internal const int Internal = 70;

    /// <summary>The command to run was not found (as the shell reports it).</summary>
    internal const int CommandNotFound = 127;

    /// <summary>The command to run was found but cannot be executed (as the shell reports it).</summary>
    internal const int CommandNotExecutable = 126;
}
