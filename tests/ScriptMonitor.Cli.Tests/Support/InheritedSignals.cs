using System.Globalization;

namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>
/// The signal tests send SIGINT and SIGQUIT and expect the job to get them. A test process that inherited them ignored
/// (a suite started in the background of a shell without job control) passes that on to every job, which then never
/// sees them: such a run fails at once saying so, rather than after a minute's wait with no reason.
/// </summary>
internal static class InheritedSignals
{
    private const int Interrupt = 2;
    private const int Quit = 3;

    /// <exception cref="InvalidOperationException">SIGINT or SIGQUIT is ignored in this process.</exception>
    public static void RequireDefaults()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is null || !ulong.TryParse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var ignored))
        {
            return;
        }

        foreach (var (signal, name) in new[] { (Interrupt, "SIGINT"), (Quit, "SIGQUIT") })
        {
            if ((ignored & (1UL << (signal - 1))) != 0)
            {
                throw new InvalidOperationException(
                    $"{name} is ignored in this test process, so every job it starts would ignore it too (was the suite started in the background of a shell without job control?). Run ./test.sh, or dotnet test under env --default-signal=INT,QUIT.");
            }
        }
    }
}
