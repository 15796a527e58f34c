using System.Diagnostics;
using System.Globalization;

namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>
/// A temp directory that holds everything one test's scriptmon touches: database, locks, spool, cron control,
/// configuration and home. Every variable is set on the child process, so nothing reaches the real home directory.
/// </summary>
public sealed partial class Sandbox : IDisposable
{
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    public Sandbox()
    {
        Root = Directory.CreateTempSubdirectory("scriptmon-cli-test-").FullName;
        Database = File("db", "scriptmon.db");
    }

    public string Root { get; }

    /// <summary>The store the next commands use (SCRIPTMON_DATABASE).</summary>
    public string Database { get; set; }

    /// <summary>More environment variables for the next commands (SCRIPTMON_SERVER, SCRIPTMON_KEY).</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string LockDirectory => File("locks");

    public string SpoolDirectory => File("spool");

    public string CronControl => File("cron-control.ini");

    public string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Runs scriptmon to completion.</summary>
    public CliResult Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        return await CompleteAsync(process);
    }

    /// <summary>Starts scriptmon and leaves it running; finish it with <see cref="CompleteAsync"/>.</summary>
    public Process Start(params string[] args) => Start([], args);

    /// <summary>Starts <paramref name="launcher"/> followed by scriptmon and ARGS (a shell, another user).</summary>
    public Process Start(IReadOnlyList<string> launcher, params string[] args)
    {
        var command = ScriptmonBuild.Command;
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var argument in launcher.Skip(1).Concat(launcher.Count > 0 ? command : command.Skip(1)).Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        SetEnvironment(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>
    /// Starts scriptmon through <c>sh -c SCRIPT</c>, where SCRIPT runs scriptmon as <c>"$@"</c>: how a test gives it
    /// what a caller can and <see cref="Process"/> cannot (closed descriptors, ignored signals, bytes that are not UTF-8).
    /// </summary>
    public Process StartThroughShell(string script, params string[] args) => Start(["sh", "-c", script, "sh"], args);

    public Task<CliResult> RunThroughShellAsync(string script, params string[] args) => CompleteAsync(StartThroughShell(script, args));

    /// <summary>As <see cref="RunThroughShellAsync"/> with bash, for what dash cannot do (dash never passes SIGCHLD on ignored).</summary>
    public Task<CliResult> RunThroughBashAsync(string script, params string[] args) => CompleteAsync(Start(["bash", "-c", script, "bash"], args));

    /// <summary>Starts any program with the sandbox's environment (a terminal emulator that runs scriptmon, say).</summary>
    public Process StartProgram(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        SetEnvironment(start);
        return Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
    }

    /// <summary>scriptmon's command line as one line of shell, every word quoted.</summary>
    public static string ShellCommand(params string[] args) =>
        string.Join(' ', ScriptmonBuild.Command.Concat(args).Select(word => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    public static async Task<CliResult> CompleteAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(ProcessLimit);
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
        var readErr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await copyOut;
            return new CliResult(process.ExitCode, stdout.ToArray(), await readErr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scriptmon did not finish within {ProcessLimit}.");
        }
    }

    /// <summary>Waits until a file exists: how a test learns that a child process reached a point.</summary>
    public static Task WaitForFileAsync(string path) => WaitUntilAsync(() => System.IO.File.Exists(path), $"{path} to exist");

    /// <summary>Waits until a condition holds, checking it every few milliseconds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(ProcessLimit);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {ProcessLimit}.");
            }
        }
    }

    /// <summary>The lines of a file the test's commands append to, none while it does not exist.</summary>
    public string[] Lines(params string[] parts)
    {
        var path = File(parts);
        return System.IO.File.Exists(path) ? System.IO.File.ReadAllLines(path) : [];
    }

    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void SetEnvironment(ProcessStartInfo start)
    {
        start.Environment["SCRIPTMON_DATABASE"] = Database;
        start.Environment["SCRIPTMON_LOCK_DIR"] = LockDirectory;
        start.Environment["SCRIPTMON_SPOOL_DIR"] = SpoolDirectory;
        start.Environment["SCRIPTMON_CRON_CONTROL"] = CronControl;
        start.Environment["SCRIPTMON_CONFIG"] = File("config.json");
        start.Environment["SCRIPTMON_SYSTEM_CONFIG"] = File("etc", "config.json");
        start.Environment["HOME"] = File("home");
        start.Environment["XDG_DATA_HOME"] = File("home", "data");
        start.Environment["XDG_CONFIG_HOME"] = File("home", "config");
        start.Environment.Remove("NO_COLOR");
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A child may hold a file open for a moment longer; the system cleans its temp folder.
        }
    }
}
