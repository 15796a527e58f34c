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

    /// <summary>Starts <paramref name="launcher"/> followed by <c>dotnet scriptmon.dll ARGS</c> (a shell, another user).</summary>
    public Process Start(IReadOnlyList<string> launcher, params string[] args)
    {
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var argument in launcher.Skip(1).Concat(launcher.Count > 0 ? ["dotnet"] : []).Append(ScriptmonBuild.Dll).Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SCRIPTMON_DATABASE"] = Database;
        start.Environment["SCRIPTMON_LOCK_DIR"] = LockDirectory;
        start.Environment["SCRIPTMON_SPOOL_DIR"] = SpoolDirectory;
        start.Environment["SCRIPTMON_CRON_CONTROL"] = CronControl;
        start.Environment["SCRIPTMON_CONFIG"] = File("config.json");
        start.Environment["HOME"] = File("home");
        start.Environment["XDG_DATA_HOME"] = File("home", "data");
        start.Environment["XDG_CONFIG_HOME"] = File("home", "config");
        start.Environment.Remove("NO_COLOR");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        return process;
    }

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
    public static async Task WaitForFileAsync(string path)
    {
        using var timeout = new CancellationTokenSource(ProcessLimit);
        while (!System.IO.File.Exists(path))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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
