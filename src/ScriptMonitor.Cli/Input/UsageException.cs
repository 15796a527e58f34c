namespace ScriptMonitor.Cli.Input;

/// <summary>The command line breaks a rule. The message names the field and the rule; the command exits 2 and writes nothing.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
