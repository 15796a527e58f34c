using System.Text.Json;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>Reads what <c>exec</c> recorded, through scriptmon's own commands.</summary>
internal static class Runs
{
    public static JsonElement Only(Sandbox sandbox, string script)
    {
        var runs = sandbox.Run("runs", script, "--json");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        return Assert.Single(runs.Json().GetProperty("runs").EnumerateArray());
    }

    public static JsonElement[] All(Sandbox sandbox, string script)
    {
        var runs = sandbox.Run("runs", script, "--json");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        return [.. runs.Json().GetProperty("runs").EnumerateArray()];
    }

    /// <summary>The script's runs, none while it has none (for polling).</summary>
    public static JsonElement[] Recorded(Sandbox sandbox, string script)
    {
        var runs = sandbox.Run("runs", script, "--json");
        return runs.ExitCode == 0 ? [.. runs.Json().GetProperty("runs").EnumerateArray()] : [];
    }

    public static JsonElement[] Spooled(Sandbox sandbox) =>
        [.. sandbox.Run("spool", "list", "--json").Json().GetProperty("entries").EnumerateArray()];

    public static string Output(this JsonElement run) => run.GetProperty("output").GetString() ?? string.Empty;
}
