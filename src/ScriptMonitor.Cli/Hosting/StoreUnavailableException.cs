namespace ScriptMonitor.Cli.Hosting;

/// <summary>The store cannot be reached, opened or written; the message names it and says why.</summary>
internal sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
