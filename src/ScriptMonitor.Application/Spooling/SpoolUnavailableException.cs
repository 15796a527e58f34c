namespace ScriptMonitor.Application.Spooling;

/// <summary>
/// The spool directory cannot be used: not created, listed, locked or written. It is the local disk's problem, not
/// the store's; the message names the directory and what failed.
/// </summary>
public sealed class SpoolUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SpoolUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SpoolUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SpoolUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
