using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>crontab import --apply where scriptmon is configured with a server: the expectations are set there.</summary>
public sealed class CrontabImportServerTests(QueriedServer server) : IClassFixture<QueriedServer>
{
    [Fact]
    public void Apply_sets_the_expectations_on_the_server_and_shows_it_as_the_store()
    {
        using var admin = server.Sandbox(server.Admin);
        var crontab = admin.File("jobs");
        File.WriteAllText(crontab, "15 2 * * * /opt/backup/nightly-dump.sh\n");

        var import = admin.Run("crontab", "import", "--file", crontab, "--zone", "Europe/Berlin", "--apply", "--json");
        var shown = admin.Run("expect", "nightly-dump", "--show");

        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal($"server:{server.Server.BaseAddress.ToString().TrimEnd('/')}", import.Json().GetProperty("store").GetString()!.TrimEnd('/'));
        Assert.Equal("set", import.Json().GetProperty("jobs")[0].GetProperty("change").GetString());
        Assert.Equal("at '15 2 * * *' (Europe/Berlin)", shown.Field("schedule"));
        Assert.False(File.Exists(admin.Database), "an import through a server created a store of its own");
    }
}
