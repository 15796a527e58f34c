using System.CommandLine;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.CronControl;
using ScriptMonitor.Scripts.Lifecycle;
using ScriptMonitor.Application.Locking;
using ScriptMonitor.Scripts.Logging;
using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Application.Recording;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Scripts;

/// <summary>
/// The base class of a monitored script: derive from it, give the script a name, override <see cref="Main"/> (or
/// <see cref="MainAsync"/>), and call <see cref="Run"/> from <c>Program.Main</c>. Every run is then recorded without
/// a line of code for it:
/// <list type="number">
/// <item>the common options are parsed (<c>-v</c>, <c>-q</c>, <c>--log-file=[LEVEL:]PATH</c>, <c>--help</c>) and the
/// rest become <see cref="Args"/>; a bad command line prints the usage and exits 2;</item>
/// <item>a script disabled in the cron control file logs why and exits 0 without running or recording;</item>
/// <item>a per-script lock keeps runs from overlapping: if another run holds it, the script exits 1 and records nothing;</item>
/// <item>the start time is taken once the lock is held, then <c>Main</c> runs while the start is recorded beside it,
/// with this process as the runner, so that a hung run shows as running and a killed one as abandoned;</item>
/// <item>success is recorded (then runs spooled earlier are delivered) and the script exits 0; a store that cannot
/// take the run within a few seconds gets it spooled to local disk instead, delivered by a later run;</item>
/// <item>an exception is logged with its stack trace, recorded as a failed run, and exits 1; a
/// <see cref="ScriptFailureException"/> is logged as its message alone and exits with its own status;</item>
/// <item>SIGINT or SIGTERM cancels the token of <see cref="MainAsync"/>, waits
/// <see cref="MonitoredScriptOptions.InterruptGracePeriod"/>, records the run as interrupted, and exits 130 or 143.</item>
/// </list>
/// </summary>
/// <example>
/// <code>
/// return new NightlyBackup().Run(args);
///
/// sealed class NightlyBackup() : MonitoredScript("nightly-backup")
/// {
///     protected override void Main()
///     {
///         Logger.LogInformation("Backing up {Target}", Args[0]);
///     }
/// }
/// </code>
/// </example>
public abstract partial class MonitoredScript
{
    private readonly MonitoredScriptOptions _options;
    private ILogger? _logger;
    private ParseResult? _parseResult;

    /// <summary>Creates the script.</summary>
    /// <param name="name">The script's name, under which its runs are recorded and its lock is taken: 1 to 255
    /// characters, no control, format (bidi, zero-width) or line-separator characters, no leading or trailing white
    /// space.</param>
    /// <param name="options">Where runs go, the clock and the grace period; null for the configuration path's defaults.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="name"/> or an option breaks a rule (an empty or malformed <see cref="MonitoredScriptOptions.Database"/>
    /// included); the message names it.
    /// </exception>
    protected MonitoredScript(string name, MonitoredScriptOptions? options = null)
    {
        Name = RunValidation.ScriptName(name, nameof(name));
        _options = options ?? new MonitoredScriptOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.InterruptGracePeriod, TimeSpan.Zero, "options.InterruptGracePeriod");
        if (_options.Database is { } database)
        {
            // Checked now, not when the first run ends: an empty setting would otherwise mean "the default store".
            try
            {
                ScriptRunStores.Parse(database);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"options.Database: {RefusalText.Sentence(e)}", nameof(options), e);
            }
        }
    }

    /// <summary>The script's name, under which its runs are recorded.</summary>
    public string Name { get; }

    /// <summary>What <c>--help</c> says the script does; override to describe it.</summary>
    protected virtual string Description => $"{Name}: a script whose runs ScriptMonitor records.";

    /// <summary>The positional arguments: the command line less the options.</summary>
    protected IReadOnlyList<string> Args { get; private set; } = [];

    /// <summary>The script's logger: stderr at the chosen verbosity, and the <c>--log-file</c> if one was named.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="Run"/> has parsed the options.</exception>
    protected ILogger Logger => _logger ?? throw new InvalidOperationException("The logger exists once Run has parsed the command line.");

    /// <summary>The parsed command line, to read the options added in <see cref="AddOptions"/> with <c>GetValue</c>.</summary>
    /// <exception cref="InvalidOperationException">Read before <see cref="Run"/> has parsed the options.</exception>
    protected ParseResult ParseResult => _parseResult ?? throw new InvalidOperationException("The command line is parsed once Run is called.");

    /// <summary>
    /// Runs the script through its whole lifecycle and returns the exit status for <c>Program.Main</c> to return.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <returns>0 on success or when disabled; 1 on failure or when already running; 2 for a bad command line; a
    /// <see cref="ScriptFailureException"/>'s own status; 130 or 143 when interrupted.</returns>
    public int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    /// <inheritdoc cref="Run"/>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="cancellationToken">Interrupts the run as SIGINT would.</param>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var commandLine = new ScriptCommandLine(Name, Description);
        AddOptions(commandLine.Root);
        var parsed = commandLine.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"{Name}: {error}").ConfigureAwait(false);
            }

            commandLine.WriteUsage(Console.Error);
            return ExitCodes.Usage;
        }

        if (parsed.IsHelp)
        {
            commandLine.WriteUsage(Console.Out);
            return ExitCodes.Ok;
        }

        _parseResult = parsed.Result;
        Args = parsed.Arguments;
        using var logging = ScriptLogging.Create(parsed.ConsoleLevel, parsed.LogFile, _options.TimeProvider);
        _logger = logging.CreateLogger(Name);
        return await RunLoggedAsync(_logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the script's own options to its command line; read them from <see cref="ParseResult"/>.</summary>
    /// <param name="command">The script's command, which already has the common options and the positional arguments.</param>
    protected virtual void AddOptions(Command command)
    {
    }

    /// <summary>
    /// The script's work, for a script that needs no cancellation. Throw to fail the run; throw a
    /// <see cref="ScriptFailureException"/> to choose the exit status and message.
    /// </summary>
    /// <exception cref="NotImplementedException">Neither this nor <see cref="MainAsync"/> is overridden.</exception>
    protected virtual void Main() =>
        throw new NotImplementedException($"{GetType().Name} must override Main or MainAsync.");

    /// <summary>
    /// The script's work, asynchronously; the default calls <see cref="Main"/>. Throw to fail the run; throw a
    /// <see cref="ScriptFailureException"/> to choose the exit status and message.
    /// </summary>
    /// <param name="cancellationToken">Cancelled by SIGINT or SIGTERM; stop within the grace period.</param>
    protected virtual Task MainAsync(CancellationToken cancellationToken)
    {
        Main();
        return Task.CompletedTask;
    }

    private async Task<int> RunLoggedAsync(ILogger logger, CancellationToken cancellationToken)
    {
        ScriptSettings settings;
        try
        {
            settings = _options.Settings ?? ScriptSettings.Resolve();
        }
        catch (ConfigurationException e)
        {
            LogConfigurationBroken(logger, Name, e.Message);
            return ExitCodes.Failure;
        }

        var (enabled, reason) = CronControlFile.Check(settings.CronControlPath, Name, logger);
        if (!enabled)
        {
            LogDisabled(logger, Name, reason!);
            return ExitCodes.Ok;
        }

        ScriptLock? held;
        try
        {
            held = ScriptLock.TryAcquire(settings.LockDirectory, Name, _options.TimeProvider, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLockUnavailable(logger, Name, settings.LockDirectory, e.Message);
            return ExitCodes.Failure;
        }

        if (held is null)
        {
            return ExitCodes.Failure;
        }

        using (held)
        {
            using var signals = InterruptSignals.Register(cancellationToken);

            // The start is taken once the lock is held: waiting for set-up is not runtime. It is recorded while Main
            // runs, with this process as the runner, so a hung run shows as running and a killed one as abandoned.
            var startedAt = _options.TimeProvider.GetUtcNow();
            var started = new ScriptRun(ScriptRun.NewId(startedAt), Name, RunValidation.ThisHost, startedAt, null, RunOutcome.Running, null, null);
            using var recorder = new RunRecorder(Connect, new RunSpool(settings.SpoolDirectory, _options.TimeProvider, logger), logger, _options.TimeProvider);
            recorder.BeginStart(started);
            var result = await RunMainAsync(logger, signals).ConfigureAwait(false);
            recorder.Complete(started with
            {
                CompletedAt = _options.TimeProvider.GetUtcNow(),
                Outcome = result.Succeeded ? RunOutcome.Succeeded : RunOutcome.Failed,
                ExitCode = result.ExitCode,
                Output = result.Message,
            });
            return result.ExitCode;
        }
    }

    private async Task<MainResult> RunMainAsync(ILogger logger, InterruptSignals signals)
    {
        LogStarting(logger, Name);

        // Main runs on the thread pool so that a Main that ignores its token cannot hold up the interruption.
        var main = Task.Run(() => MainAsync(signals.Token), CancellationToken.None);
        if (await Task.WhenAny(main, signals.Interrupted).ConfigureAwait(false) != main)
        {
            return await InterruptedAsync(logger, signals, main).ConfigureAwait(false);
        }

        try
        {
            await main.ConfigureAwait(false);
            LogSucceeded(logger, Name);
            return new MainResult(true, ExitCodes.Ok, null);
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            return await InterruptedAsync(logger, signals, main).ConfigureAwait(false);
        }
        catch (ScriptFailureException e)
        {
            LogScriptFailure(logger, Name, e.ExitStatus, e.Message);
            return new MainResult(false, e.ExitStatus, e.Message);
        }
        catch (Exception e)
        {
            LogException(logger, e, Name, e.GetType().FullName!, e.Message);
            return new MainResult(false, ExitCodes.Failure, $"{e.GetType().FullName}: {e.Message}");
        }
    }

    private async Task<MainResult> InterruptedAsync(ILogger logger, InterruptSignals signals, Task main)
    {
        LogInterrupted(logger, Name, signals.Cause!, _options.InterruptGracePeriod.TotalSeconds);
        try
        {
            await main.WaitAsync(_options.InterruptGracePeriod, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogGraceExpired(logger, Name, _options.InterruptGracePeriod.TotalSeconds);
        }
        catch (OperationCanceledException)
        {
            // Main honoured the cancellation.
        }
        catch (Exception e)
        {
            LogFailedWhileStopping(logger, e, Name, e.Message);
        }

        return new MainResult(false, signals.ExitCode, $"interrupted by {signals.Cause}");
    }

    /// <summary>Where the run is recorded: the options' store, else the configured one, its waits bounded as the recorder's.</summary>
    private IRunRecording Connect() => _options.OpenStore is { } open
        ? new StoreRunRecording(open())
        : MonitorServices.For(MonitorLocator.Resolve(_options.Database), _options.TimeProvider, NullLogger.Instance, Name).ConnectRecording(RunRecorder.DefaultStoreWaitLimit);

    private sealed record MainResult(bool Succeeded, int ExitCode, string? Message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} cannot start: {Reason}")]
    private static partial void LogConfigurationBroken(ILogger logger, string scriptName, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Script {ScriptName} is {Reason}; not running it.")]
    private static partial void LogDisabled(ILogger logger, string scriptName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} cannot take its lock in {LockDirectory}: {Reason}")]
    private static partial void LogLockUnavailable(ILogger logger, string scriptName, string lockDirectory, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Script {ScriptName} starting.")]
    private static partial void LogStarting(ILogger logger, string scriptName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Script {ScriptName} succeeded.")]
    private static partial void LogSucceeded(ILogger logger, string scriptName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} failed (exit status {ExitStatus}): {Reason}")]
    private static partial void LogScriptFailure(ILogger logger, string scriptName, int exitStatus, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} failed with {ExceptionType}: {Reason}")]
    private static partial void LogException(ILogger logger, Exception exception, string scriptName, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Script {ScriptName} interrupted by {Cause}; giving it {GraceSeconds} s to stop.")]
    private static partial void LogInterrupted(ILogger logger, string scriptName, string cause, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} did not stop within {GraceSeconds} s of the interruption; exiting without it.")]
    private static partial void LogGraceExpired(ILogger logger, string scriptName, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} failed while stopping: {Reason}")]
    private static partial void LogFailedWhileStopping(ILogger logger, Exception exception, string scriptName, string reason);
}
