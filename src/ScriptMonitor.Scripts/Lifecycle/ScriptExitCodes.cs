namespace ScriptMonitor.Scripts.Lifecycle;

/// <summary>The exit statuses of a monitored script, as cron and shells read them.</summary>
internal static class ScriptExitCodes
{
    /// <summary>Ran and succeeded; also a script disabled by cron control, which must not page anyone.</summary>
    internal const int Success = 0;

    /// <summary>Failed, or did not start because another run holds the lock or the configuration is broken.</summary>
    internal const int Failure = 1;

    /// <summary>The command line is wrong.</summary>
    internal const int UsageError = 2;

    /// <summary>128 + SIGINT, as a shell reports a process stopped by Ctrl-C.</summary>
    internal const int Interrupted = 130;

    /// <summary>128 + SIGTERM, as a shell reports a process stopped by <c>kill</c>.</summary>
    internal const int Terminated = 143;
}
