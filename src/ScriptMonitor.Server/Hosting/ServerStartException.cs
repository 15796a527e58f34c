namespace ScriptMonitor.Server.Hosting;

/// <summary>The server cannot start as configured; the message says why, for the person who started it.</summary>
internal sealed class ServerStartException : Exception
{
    public ServerStartException()
    {
    }

    public ServerStartException(string message)
        : base(message)
    {
    }

    public ServerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
