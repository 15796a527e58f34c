using System.Globalization;
using System.Text;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// A small process that takes over the job's pipes when the job has exited but a background process it left still
/// writes to them: scriptmon returns (and cron gets its status), while late output keeps going where output was
/// going, until the last writer closes the pipe or the reader goes away (then the writer gets SIGPIPE, as it would
/// unwrapped). It is scriptmon itself, started with a hidden first argument.
/// </summary>
internal static class OutputRelay
{
    /// <summary>The hidden first argument that makes scriptmon a relay: never a command a user types.</summary>
    internal const string Argument = "--internal-output-relay";

    /// <summary>Signals a terminal or a process group sends: the relay outlives the run on purpose, and ends with its pipes.</summary>
    private static readonly int[] Ignored = [Posix.SigHup, Posix.SigInt, Posix.SigQuit, Posix.SigTerm];

    /// <summary>Runs as the relay: each argument is SOURCE:TARGET, two descriptors it inherited.</summary>
    internal static int Run(IReadOnlyList<string> arguments)
    {
        foreach (var signal in Ignored)
        {
            _ = LibC.SetSignalHandler(signal, LibC.SignalIgnore);
        }

        var routes = new List<OutputRoute>();
        foreach (var argument in arguments)
        {
            var parts = argument.Split(':');
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var source)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var target))
            {
                routes.Add(new OutputRoute(source, target, target == Posix.StandardError ? "standard error" : "standard output"));
            }
        }

        new OutputCopier(routes, tail: null).Run();
        return 0;
    }

    /// <summary>Starts a relay for the pipes still open, in a process group of its own, detached from the terminal's signals.</summary>
    /// <exception cref="SpawnException">It could not be started.</exception>
    internal static void Start(IReadOnlyList<OutputRoute> routes)
    {
        var self = Environment.ProcessPath ?? throw new SpawnException(LibC.NoSuchFile, "cannot find scriptmon's own program file", beforeExec: true);
        var entry = Environment.GetCommandLineArgs()[0];
        var arguments = new List<byte[]> { Encoding.UTF8.GetBytes(self) };
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            // Run through the dotnet host (a build that is not ahead-of-time compiled): the host needs the assembly.
            arguments.Add(Encoding.UTF8.GetBytes(entry));
        }

        arguments.Add(Encoding.UTF8.GetBytes(Argument));
        arguments.AddRange(routes.Select(route => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{route.Source}:{route.Target}"))));
        _ = Spawn.Start(arguments, new SpawnOptions
        {
            DefaultSignals = AllSignals(),
            NewProcessGroup = true,
            NullDevices = [Posix.StandardInput],
            Duplicates = [.. routes.Select(route => (route.Source, route.Source))],
        }, searchPath: false);
    }

    private static SignalMask AllSignals()
    {
        var mask = SignalMask.Empty;
        for (var signal = 1; signal <= Posix.HighestSignal; signal++)
        {
            if (signal is not (Posix.SigKill or Posix.SigStop))
            {
                mask = mask.With(signal);
            }
        }

        return mask;
    }
}
