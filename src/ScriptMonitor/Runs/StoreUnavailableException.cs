namespace ScriptMonitor.Runs;

/// <summary>
/// The store cannot be reached or written for a reason outside the call: the server is down or unreachable, the
/// disk is full, the file is locked or read-only, the credentials are refused. The run itself was fine; a caller
/// that must not lose it keeps it (the spool) and delivers it later. The message names the store and what failed,
/// and is meant for people as it stands.
/// </summary>
/// <remarks>
/// A bad argument is never reported this way: that is an <see cref="ArgumentException"/>, and retrying it cannot help.
/// </remarks>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which store, and what failed.</param>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which store, and what failed.</param>
    /// <param name="innerException">The driver's error, for logs.</param>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
