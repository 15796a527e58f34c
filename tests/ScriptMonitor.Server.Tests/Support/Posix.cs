using System.Diagnostics;

namespace ScriptMonitor.Server.Tests.Support;

/// <summary>Signals sent with kill(1), as an operator or a service manager sends them.</summary>
internal static class Posix
{
    public static void Kill(int processId, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} {processId} failed with status {kill.ExitCode}");
        }
    }
}
