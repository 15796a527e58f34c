using System.Diagnostics;
using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Storage.Tests.PostgreSql;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// Debian's cron daemon runs a file of /etc/cron.d that crontab import --wrap rewrote: a 'cd … &amp;&amp;' line as
/// one user and a '%' line as another, and both record their runs into the one store. Where cron is not installed
/// the test fails rather than skips; it removes everything it installed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(InstallScript.Collection)]
public sealed class CrontabRealCronTests : IDisposable
{
    private const string Cron = "/usr/sbin/cron";

    /// <summary>Cron runs the jobs at the start of the next minute; this is that minute and the start of scriptmon.</summary>
    private static readonly TimeSpan RunsWithin = TimeSpan.FromSeconds(70);

    private readonly Sandbox _sandbox = new();
    private readonly string _shared = Directory.CreateTempSubdirectory("scriptmon-cron-").FullName;
    private readonly string _cronFile = $"/etc/cron.d/scriptmon-test-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    public void Dispose()
    {
        File.Delete(_cronFile);
        Directory.Delete(_shared, recursive: true);
        _sandbox.Dispose();
    }

    [RootFact]
    public async Task Cron_runs_the_wrapped_jobs_of_two_users_and_their_runs_meet_in_the_one_store()
    {
        Assert.True(File.Exists(Cron), $"{Cron} is not installed: install Debian's cron package (apt-get install cron).");
        var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql).");
        await using var server = await ThrowawayPostgreSqlServer.StartAsync(bin);
        _sandbox.Database = server.ConnectionString;

        // Everything the jobs' users touch lives in one directory they may enter; each has its own spool and locks.
        File.SetUnixFileMode(_shared, (UnixFileMode)0b111_101_101);
        var work = Directory.CreateDirectory(Path.Combine(_shared, "work")).FullName;
        File.SetUnixFileMode(work, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        var scriptmon = Path.Combine(_shared, "scriptmon");
        File.WriteAllText(scriptmon, $"#!/bin/sh\nexec {Environment.ProcessPath} {ScriptmonBuild.Dll} \"$@\"\n");
        File.SetUnixFileMode(scriptmon, (UnixFileMode)0b111_101_101);
        foreach (var user in new[] { "nobody", "daemon" })
        {
            File.SetUnixFileMode(Directory.CreateDirectory(Path.Combine(_shared, user)).FullName, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        }

        File.WriteAllText(
            _cronFile,
            $"# written by {nameof(CrontabRealCronTests)}\nSHELL=/bin/sh\nSCRIPTMON_DATABASE={server.ConnectionString}\nDOTNET_CLI_HOME={_shared}/nobody\n"
            + $"SCRIPTMON_SPOOL_DIR={_shared}/nobody/spool\nSCRIPTMON_LOCK_DIR={_shared}/nobody/locks\n"
            + $"* * * * *  nobody  cd {work} && id -un > by-cd-line\n"
            + $"DOTNET_CLI_HOME={_shared}/daemon\nSCRIPTMON_SPOOL_DIR={_shared}/daemon/spool\nSCRIPTMON_LOCK_DIR={_shared}/daemon/locks\n"
            + $"* * * * *  daemon  (cat; id -un) > {work}/by-percent-line%first line%second \\% line\n");
        var wrap = _sandbox.Run("crontab", "import", "--file", _cronFile, "--zone", "UTC", "--wrap", "--apply", "--scriptmon", scriptmon, "--backup-dir", Path.Combine(_shared, "backups"));
        Assert.True(wrap.ExitCode == 0, wrap.ToString());
        Assert.Contains($"{_cronFile}: wrapped lines 7, 11", wrap.Stdout, StringComparison.Ordinal);

        using var cron = Process.Start(new ProcessStartInfo(Cron, ["-f"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        try
        {
            var deadline = DateTime.UtcNow + RunsWithin;
            while (DateTime.UtcNow < deadline && !(Succeeded("id") && Succeeded("cat")))
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            Assert.True(Succeeded("id"), "no successful run of the 'cd … &&' line was recorded");
            Assert.True(Succeeded("cat"), "no successful run of the '%' line was recorded");
            Assert.Equal("nobody\n", File.ReadAllText(Path.Combine(work, "by-cd-line")));
            // cron writes the '%' part with a line break for each further '%' and one at the end.
            Assert.Equal("first line\nsecond % line\ndaemon\n", File.ReadAllText(Path.Combine(work, "by-percent-line")));
        }
        finally
        {
            cron.Kill(entireProcessTree: true);
            await cron.WaitForExitAsync();
        }
    }

    /// <summary>Whether the store holds a successful run of the script.</summary>
    private bool Succeeded(string script)
    {
        var runs = _sandbox.Run("runs", script, "--json");
        return runs.ExitCode == 0 && runs.Json().GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("outcome").GetString() == "succeeded");
    }
}
