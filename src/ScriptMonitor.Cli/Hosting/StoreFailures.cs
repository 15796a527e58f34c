namespace ScriptMonitor.Cli.Hosting;

/// <summary>Tells a store that cannot be reached or written from a store that refused a bad argument.</summary>
internal static class StoreFailures
{
    /// <summary>
    /// A store refuses bad input with <see cref="ArgumentException"/>; every other failure means it cannot be used
    /// now (missing directory, locked or corrupt file, server down) and a run should be spooled.
    /// </summary>
    internal static bool IsUnavailable(Exception exception) =>
        exception is not (ArgumentException or OperationCanceledException or OutOfMemoryException);
}
