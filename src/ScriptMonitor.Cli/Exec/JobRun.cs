
namespace ScriptMonitor.Cli.Exec;

/// <summary>What scriptmon knows of its own situation when it starts a job.</summary>
/// <param name="Descriptors">Which standard streams the caller closed.</param>
/// <param name="Signals">The caller's signal dispositions and mask.</param>
/// <param name="Forwarder">Passes signals on to the job's group.</param>
internal sealed record JobEnvironment(CallerDescriptors Descriptors, CallerSignals Signals, SignalForwarder Forwarder);

/// <summary>
/// One run of the wrapped command, the way a shell runs a foreground job: in a process group of its own, with the
/// terminal when scriptmon has it, with the caller's signal dispositions, arguments and environment byte for byte,
/// and with its output passed through (<see cref="JobOutput"/>).
/// </summary>
internal sealed class JobRun
{
    private readonly JobOutput _output;
    private readonly JobTerminal? _terminal;
    private readonly JobSupervisor _supervisor;
    private readonly JobEnvironment _environment;

    private JobRun(int processId, JobOutput output, JobTerminal? terminal, JobSupervisor supervisor, JobEnvironment environment)
    {
        ProcessId = processId;
        _output = output;
        _terminal = terminal;
        _supervisor = supervisor;
        _environment = environment;
    }

    /// <summary>The direct child's pid, which is also the job's process group id.</summary>
    internal int ProcessId { get; }

    internal bool TimedOut => _supervisor.TimedOut;

    internal bool Killed => _supervisor.Killed;

    /// <summary>Starts the command.</summary>
    /// <param name="command">The program and its arguments, as raw bytes.</param>
    /// <param name="environment">scriptmon's situation.</param>
    /// <param name="clock">The run's clock: its monotonic readings time the run and the timeout.</param>
    /// <param name="inherited">A descriptor the job inherits (the lock, so the lock is held while any of its processes runs).</param>
    /// <exception cref="SpawnException">The command could not be started.</exception>
    /// <exception cref="IOException">scriptmon could not create the pipes for its output.</exception>
    internal static JobRun Start(IReadOnlyList<byte[]> command, JobEnvironment environment, RunClock clock, int? inherited)
    {
        var terminal = JobTerminal.Detect(environment.Descriptors);
        var output = JobOutput.Prepare(environment.Descriptors, Runs.ScriptRun.MaxOutputLength);
        var options = output.ApplyTo(new SpawnOptions
        {
            DefaultSignals = environment.Signals.JobDefaults(),
            BlockedSignals = environment.Signals.Blocked,
            NewProcessGroup = true,
            TakeTerminal = terminal is { IsForeground: true },
            Duplicates = inherited is { } descriptor ? [(descriptor, descriptor)] : [],
        });

        int processId;
        try
        {
            processId = Spawn.StartCommand(command, options);
        }
        catch
        {
            output.Abandon();
            throw;
        }

        if (terminal is { IsForeground: true } && !Spawn.ChildTakesTerminal)
        {
            terminal.HandTo(processId);
        }

        output.Started();
        environment.Forwarder.Attach(processId, terminal);
        return new JobRun(processId, output, terminal, new JobSupervisor(clock, environment.Forwarder, terminal), environment);
    }

    /// <summary>Waits for the direct child to exit (enforcing the timeout); the terminal comes back to scriptmon.</summary>
    internal JobExit WaitForExit(TimeSpan? timeout, TimeSpan grace)
    {
        var exit = _supervisor.WaitForExit(ProcessId, timeout, grace);
        _terminal?.TakeBack(ProcessId);
        return exit;
    }

    /// <summary>Lets the output end (at most <see cref="JobOutput.DrainLimit"/>) and returns its tail and any warnings.</summary>
    internal (string Tail, IReadOnlyList<string> Warnings) DrainOutput() => _output.Drain(Runs.ScriptRun.MaxOutputLength);

    /// <summary>
    /// Hands pipes a background process still writes to over to a relay, stops passing signals on and collects the
    /// child. Returns why the relay could not start, if it could not.
    /// </summary>
    internal string? Finish()
    {
        var problem = _output.HandOff();
        _environment.Forwarder.Detach();
        JobSupervisor.Reap(ProcessId);
        return problem;
    }
}
