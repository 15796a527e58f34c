namespace ScriptMonitor.Application.Spooling;

/// <summary>
/// The spool directory cannot be used: not created, listed, locked or written. It is the local disk's problem, not
/// the store's; the message names the directory and what failed.
/// </summary>
internal sealed class SpoolUnavailableException : Exception
{
    public SpoolUnavailableException()
    {
    }

    public SpoolUnavailableException(string message)
        : base(message)
    {
    }

    public SpoolUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
