namespace ScriptMonitor.Scripts;

/// <summary>
/// A failure the script has already explained: thrown from <see cref="MonitoredScript.Main"/> or
/// <see cref="MonitoredScript.MainAsync"/>, it is logged as its message alone, without a stack trace, recorded as a
/// failed run with that message, and ends the process with <see cref="ExitStatus"/>. Derive from it for failure
/// types of your own that carry their own exit status.
/// </summary>
public class ScriptFailureException : Exception
{
    /// <summary>The exit status when none is given: the same as for any other failure.</summary>
    public const int DefaultExitStatus = 1;

    /// <summary>The largest exit status a process can report.</summary>
    public const int MaxExitStatus = 255;

    /// <summary>Creates the exception with a generic message and exit status 1.</summary>
    public ScriptFailureException()
        : this("The script failed.")
    {
    }

    /// <summary>Creates the exception with exit status 1.</summary>
    /// <param name="message">What went wrong, for the log and the recorded run.</param>
    public ScriptFailureException(string message)
        : this(message, DefaultExitStatus)
    {
    }

    /// <summary>Creates the exception with exit status 1 and its cause.</summary>
    /// <param name="message">What went wrong, for the log and the recorded run.</param>
    /// <param name="innerException">The cause.</param>
    public ScriptFailureException(string message, Exception innerException)
        : this(message, DefaultExitStatus, innerException)
    {
    }

    /// <summary>Creates the exception with an exit status of the script's choosing.</summary>
    /// <param name="message">What went wrong, for the log and the recorded run.</param>
    /// <param name="exitStatus">The process exit status: 1 to 255 (0 would report success).</param>
    /// <param name="innerException">The cause, if any.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exitStatus"/> is not between 1 and 255.</exception>
    public ScriptFailureException(string message, int exitStatus, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(exitStatus, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exitStatus, MaxExitStatus);
        ExitStatus = exitStatus;
    }

    /// <summary>The exit status the process ends with: 1 to 255.</summary>
    public int ExitStatus { get; }
}
