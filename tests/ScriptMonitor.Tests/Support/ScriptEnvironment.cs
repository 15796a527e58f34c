using System.Diagnostics;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Support;

/// <summary>
/// A private world for script processes: store, lock and spool directories, cron control and configuration file
/// all in one temp directory, named through the environment so that nothing touches the user's home.
/// </summary>
public sealed class ScriptEnvironment : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ScriptEnvironment()
    {
        Variables = new Dictionary<string, string>
        {
            ["SCRIPTMON_DATABASE"] = Database,
            ["SCRIPTMON_LOCK_DIR"] = LockDirectory,
            ["SCRIPTMON_SPOOL_DIR"] = SpoolDirectory,
            ["SCRIPTMON_CRON_CONTROL"] = CronControl,
            ["SCRIPTMON_CONFIG"] = File("config.json"),
            ["XDG_DATA_HOME"] = File("data"),
            ["XDG_CONFIG_HOME"] = File("config"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };

        // The SDK keeps its caches under the data directory and refuses to work when it does not exist.
        Directory.CreateDirectory(Variables["XDG_DATA_HOME"]);
        Directory.CreateDirectory(Variables["XDG_CONFIG_HOME"]);
    }

    public string Database => File("runs.db");

    public string LockDirectory => File("locks");

    public string SpoolDirectory => File("spool");

    public string CronControl => File("cron-control.ini");

    /// <summary>The variables every process started here gets; change them to point a run elsewhere.</summary>
    public Dictionary<string, string> Variables { get; }

    public string File(string name) => Path.Combine(_directory.Path, name);

    /// <summary>Starts the TestScript fixture with these arguments.</summary>
    public RunningScript Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Fixtures.TestScriptDll } };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        return Start(start);
    }

    public RunningScript Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }

        return new RunningScript(start);
    }

    /// <summary>Runs the TestScript fixture to its end, with nothing on stdin.</summary>
    public async Task<ScriptProcessResult> RunAsync(params string[] args)
    {
        using var script = Start(args);
        return await script.WaitForExitAsync();
    }

    public IScriptRunStore OpenStore() => ScriptRunStores.Open(Database);

    /// <summary>Every run of the script the store holds, newest first; empty when there is no store at all.</summary>
    public async Task<IReadOnlyList<ScriptRun>> RunsAsync(string script = "test-script")
    {
        if (!System.IO.File.Exists(Database))
        {
            return [];
        }

        await using var store = OpenStore();
        return await store.ListRunsAsync(new RunQuery(script) { Limit = RunQuery.MaxLimit });
    }

    public void Dispose() => _directory.Dispose();
}
