namespace ScriptMonitor.Runs;

/// <summary>
/// The store's schema cannot be used by this build: it was migrated past what this build can safely write, or it is a
/// version this build does not know. Unlike <see cref="StoreUnavailableException"/> this is not transient: it lasts
/// until ScriptMonitor is upgraded (or the store is pointed elsewhere), so it is a configuration problem, reported on
/// every run while runs are spooled, and UNKNOWN to a monitoring check.
/// </summary>
public sealed class StoreIncompatibleException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreIncompatibleException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which store, its version, and what to do.</param>
    public StoreIncompatibleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Which store, its version, and what to do.</param>
    /// <param name="innerException">The cause, for logs.</param>
    public StoreIncompatibleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
