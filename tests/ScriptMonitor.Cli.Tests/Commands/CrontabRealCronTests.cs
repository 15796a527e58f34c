using System.Diagnostics;
using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// Debian's cron daemon runs a file of /etc/cron.d that crontab import --wrap rewrote: a 'cd … &amp;&amp;' line as
/// one user and a '%' line as another, and both record their runs into the one shared SQLite store that
/// install.sh --system sets up (a set-group-id directory of a group both users are in, named by the system
/// configuration file). Where cron is not installed the test fails rather than skips; it removes everything it
/// installed (the cron file, the install with its group).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(InstallScript.Collection)]
public sealed class CrontabRealCronTests : IDisposable
{
    private const string Cron = "/usr/sbin/cron";

    /// <summary>Cron runs the jobs at the start of the next minute; this is that minute and the start of scriptmon.</summary>
    private static readonly TimeSpan RunsWithin = TimeSpan.FromSeconds(70);

    private readonly Sandbox _sandbox = new();
    private readonly InstallScript _install = new();
    private readonly string _shared = Directory.CreateTempSubdirectory("scriptmon-cron-").FullName;
    private readonly string _cronFile = $"/etc/cron.d/scriptmon-test-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    public void Dispose()
    {
        File.Delete(_cronFile);
        Directory.Delete(_shared, recursive: true);
        _install.Dispose();
        _sandbox.Dispose();
    }

    [RootFact]
    public async Task Cron_runs_the_wrapped_jobs_of_two_users_and_their_runs_meet_in_the_one_shared_store()
    {
        Assert.True(File.Exists(Cron), $"{Cron} is not installed: install Debian's cron package (apt-get install cron).");
        RemoveFilesOfKilledRuns();
        var install = _install.Run("--system", "--from", _install.Programs(), "--member", "nobody", "--member", "daemon");
        Assert.True(install.ExitCode == 0, install.ToString());
        var scriptmon = Path.Combine(_install.Root, "usr", "local", "bin", "scriptmon");
        var store = Path.Combine(_install.StoreDirectory, "scriptmon.db");

        // Root imports into the store the system configuration names, as every user's job records into it.
        _sandbox.Database = string.Empty;
        _sandbox.Variables["SCRIPTMON_SYSTEM_CONFIG"] = _install.ConfigFile;

        // The jobs' users write their output here; each has its own spool and locks (they are never shared).
        File.SetUnixFileMode(_shared, (UnixFileMode)0b111_101_101);
        var work = Directory.CreateDirectory(Path.Combine(_shared, "work")).FullName;
        File.SetUnixFileMode(work, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        foreach (var user in new[] { "nobody", "daemon" })
        {
            File.SetUnixFileMode(Directory.CreateDirectory(Path.Combine(_shared, user)).FullName, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        }

        File.WriteAllText(
            _cronFile,
            $"# written by {nameof(CrontabRealCronTests)}\nSHELL=/bin/sh\nSCRIPTMON_SYSTEM_CONFIG={_install.ConfigFile}\nDOTNET_CLI_HOME={_shared}/nobody\n"
            + $"SCRIPTMON_SPOOL_DIR={_shared}/nobody/spool\nSCRIPTMON_LOCK_DIR={_shared}/nobody/locks\n"
            + $"* * * * *  nobody  cd {work} && id -un > by-cd-line\n"
            + $"DOTNET_CLI_HOME={_shared}/daemon\nSCRIPTMON_SPOOL_DIR={_shared}/daemon/spool\nSCRIPTMON_LOCK_DIR={_shared}/daemon/locks\n"
            + $"* * * * *  daemon  (cat; id -un) > {work}/by-percent-line%first line%second \\% line\n");
        var check = _sandbox.Run("crontab", "import", "--file", _cronFile, "--zone", "UTC");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(["here", "here"], CrontabImportCommandTests.Rows(check.Stdout).Select(r => r["RECORDS"]));
        Assert.All(CrontabImportCommandTests.Rows(check.Stdout), r => Assert.Equal($"sqlite:{store}", r["STORE"]));

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

        // One database (with its -wal and -shm while in use) that the group may write, whichever user made each file.
        Assert.All(Directory.GetFiles(_install.StoreDirectory), file =>
        {
            Assert.StartsWith("scriptmon.db", Path.GetFileName(file), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(file));
        });
    }

    /// <summary>
    /// A run of this test that was killed before its clean-up leaves its cron file, whose jobs the cron started here
    /// would run too, every minute, into a store that is gone.
    /// </summary>
    private static void RemoveFilesOfKilledRuns()
    {
        const string Prefix = "scriptmon-test-";
        foreach (var file in Directory.GetFiles("/etc/cron.d", Prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(file)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Whether the store holds a successful run of the script.</summary>
    private bool Succeeded(string script)
    {
        var runs = _sandbox.Run("runs", script, "--json");
        return runs.ExitCode == 0 && runs.Json().GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("outcome").GetString() == "succeeded");
    }
}
