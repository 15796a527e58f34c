using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary><c>maintenance add|list|remove</c>, and what <c>status</c> and <c>check</c> show while a window is open and after, as real processes.</summary>
public sealed class MaintenanceCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private CliResult Ok(params string[] args)
    {
        var result = _sandbox.Run(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>A script that is late: hourly, its only run five hours ago.</summary>
    private void LateScript(string name, string? tag = null)
    {
        Ok("record", name, "--started", "-5h", "--completed", "-5h", "--host", "db1");
        Ok(tag is null ? ["expect", name, "--every", "1h", "--grace", "10m"] : ["expect", name, "--every", "1h", "--grace", "10m", "--tag", tag]);
    }

    private string Health(string name)
    {
        foreach (var script in Ok("status", "--json").Json().GetProperty("scripts").EnumerateArray())
        {
            if (script.GetProperty("name").GetString() == name)
            {
                return script.GetProperty("health").GetString() + ": " + script.GetProperty("reason").GetString();
            }
        }

        throw new Xunit.Sdk.XunitException($"{name} is not in the status");
    }

    [Fact]
    public void A_late_script_in_an_open_window_is_in_maintenance_for_status_and_check_and_late_again_once_the_window_is_over()
    {
        LateScript("stale");

        var added = Ok("maintenance", "add", "deploy", "--script", "stale", "--start", "-30m", "--duration", "1h", "--zone", "Europe/Berlin");
        Assert.Equal("added", added.Field("change"));
        Assert.StartsWith("open until ", added.Field("now"), StringComparison.Ordinal);

        var health = Health("stale");
        Assert.StartsWith("Maintenance: stale is in maintenance window deploy until ", health, StringComparison.Ordinal);
        Assert.EndsWith(" (Europe/Berlin)", health, StringComparison.Ordinal);
        var check = _sandbox.Run("check", "stale");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("stale: OK Maintenance: stale is in maintenance window deploy until", check.Stdout, StringComparison.Ordinal);

        // The same window, had it been an hour earlier: over by now, so the script's own state shows again.
        var replaced = Ok("maintenance", "add", "deploy", "--script", "stale", "--start", "-2h", "--duration", "1h", "--replace", "--json").Json();
        Assert.Equal("replaced", replaced.GetProperty("change").GetString());
        Assert.False(replaced.GetProperty("open").GetBoolean());

        Assert.Matches("^(Late|Missing): ", Health("stale"));
        var after = _sandbox.Run("check", "stale");
        Assert.True(after.ExitCode == 2, after.ToString());
    }

    [Fact]
    public void A_tag_pause_pauses_every_script_with_the_tag_until_it_is_removed()
    {
        LateScript("ops-job", tag: "ops");
        LateScript("other-job");

        Ok("maintenance", "add", "pause-tag-ops", "--tag", "ops");

        Assert.Equal("Paused: alerts for ops-job are paused by maintenance window pause-tag-ops of tag ops until it is removed", Health("ops-job"));
        Assert.Matches("^(Late|Missing): ", Health("other-job"));
        var window = Assert.Single(Ok("maintenance", "list", "--json").Json().GetProperty("windows").EnumerateArray());
        Assert.Equal(("pause", "ops", true), (window.GetProperty("kind").GetString(), window.GetProperty("tag").GetString(), window.GetProperty("open").GetBoolean()));
        Assert.Contains("pause-tag-ops", Ok("maintenance", "list").Stdout, StringComparison.Ordinal);

        Assert.Equal("Removed the maintenance window pause-tag-ops.", Ok("maintenance", "remove", "pause-tag-ops").Stdout.Trim());
        Assert.Matches("^(Late|Missing): ", Health("ops-job"));
        var again = _sandbox.Run("maintenance", "remove", "pause-tag-ops");
        Assert.True(again.ExitCode == 1, again.ToString());
    }

    [Fact]
    public void A_cron_window_is_listed_with_its_expression_and_zone_and_when_it_next_changes()
    {
        Ok("maintenance", "add", "nightly", "--tag", "db", "--cron", "30 2 * * *", "--duration", "1h", "--zone", "Europe/Berlin");

        var text = Ok("maintenance", "list").Stdout;
        Assert.Contains("at '30 2 * * *' (Europe/Berlin)", text, StringComparison.Ordinal);
        var window = Assert.Single(Ok("maintenance", "list", "--json").Json().GetProperty("windows").EnumerateArray());
        Assert.Equal(3600, window.GetProperty("durationSeconds").GetDouble());
        var next = window.GetProperty(window.GetProperty("open").GetBoolean() ? "closesAt" : "opensAt").GetString();
        Assert.EndsWith("+00:00", next, StringComparison.Ordinal);
    }

    /// <summary>Each broken option and the words its refusal names it with.</summary>
    private static readonly (string[] Options, string Expected)[] BadInput =
    [
        (["--script", "a", "--tag", "b", "--duration", "1h"], "--script or --tag must name what the window is for: not both."),
        (["--duration", "1h"], "--script or --tag must name what the window is for: one of them must be given."),
        (["--script", "a", "--cron", "0 2 * *", "--duration", "1h"], "--cron '0 2 * *' has 4 fields"),
        (["--script", "a", "--cron", "0 2 * * *"], "--duration must be given for a window that opens again and again (--cron)"),
        (["--script", "a", "--every", "1h", "--duration", "2h"], "--duration (2h) must be shorter than --every (1h)"),
        (["--script", "a", "--every", "1h", "--cron", "@daily", "--duration", "5m"], "--every must not be given with --cron"),
        (["--script", "a", "--cron", "@daily", "--start", "now", "--duration", "1h"], "--start must not be given with --cron"),
        (["--script", "a", "--duration", "1h", "--zone", "Mars/Olympus_Mons"], "--zone must be an IANA time zone"),
        (["--script", "a", "--duration", "soon"], "--duration must be a number and a unit"),
        (["--script", "a", "--duration", "0s"], "--duration must be greater than zero"),
        (["--script", "a", "--start", "yesterday"], "--start must be an ISO 8601 time"),
    ];

    [Fact]
    public void Bad_input_is_exit_2_naming_the_option_and_nothing_is_saved()
    {
        foreach (var (options, expected) in BadInput)
        {
            var result = _sandbox.Run(["maintenance", "add", "w", .. options]);

            Assert.True(result.ExitCode == 2, string.Join(' ', options) + "\n" + result);
            Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, Ok("maintenance", "list", "--json").Json().GetProperty("windows").GetArrayLength());
    }

    [Fact]
    public void A_name_that_is_taken_is_refused_without_replace()
    {
        Ok("maintenance", "add", "w", "--script", "a", "--duration", "1h");

        var result = _sandbox.Run("maintenance", "add", "w", "--tag", "b", "--duration", "2h");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("NAME: a maintenance window named 'w' exists already; give --replace", result.Stderr, StringComparison.Ordinal);
        var window = Assert.Single(Ok("maintenance", "list", "--json").Json().GetProperty("windows").EnumerateArray());
        Assert.Equal("a", window.GetProperty("script").GetString());
    }
}

/// <summary><c>maintenance</c> against a running scriptmon-server, as against a store: an admin key changes, a read key lists.</summary>
public sealed class MaintenanceThroughServerTests(QueriedServer server) : IClassFixture<QueriedServer>
{
    [Fact]
    public void A_window_added_through_the_server_shows_in_its_status_and_the_same_rules_and_scopes_hold()
    {
        using var admin = server.Sandbox(server.Admin);
        using var read = server.Sandbox(server.Read);

        var added = admin.Run("maintenance", "add", "deploy", "--script", "report", "--duration", "1h", "--json");
        var status = read.Run("status", "--json").Json().GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "report");
        var listed = read.Run("maintenance", "list");
        var taken = admin.Run("maintenance", "add", "deploy", "--tag", "ops", "--duration", "1h");
        var broken = admin.Run("maintenance", "add", "other", "--script", "report", "--every", "1h", "--duration", "2h");
        var notAdmin = read.Run("maintenance", "remove", "deploy");
        var removed = admin.Run("maintenance", "remove", "deploy");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal("added", added.Json().GetProperty("change").GetString());
        Assert.Equal("Maintenance", status.GetProperty("health").GetString());
        Assert.Contains("deploy", listed.Stdout, StringComparison.Ordinal);
        Assert.True(taken.ExitCode == 2, taken.ToString());
        Assert.Contains("409", taken.Stderr, StringComparison.Ordinal);
        Assert.True(broken.ExitCode == 2, broken.ToString());
        Assert.Contains("--duration (2h) must be shorter than --every (1h)", broken.Stderr, StringComparison.Ordinal);
        Assert.True(notAdmin.ExitCode == 3, notAdmin.ToString());
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.False(File.Exists(admin.Database), "changing through a server creates no store of its own");
    }
}
