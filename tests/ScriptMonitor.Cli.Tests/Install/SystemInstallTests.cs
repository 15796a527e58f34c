using System.Security.Cryptography;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Install;

/// <summary>
/// install.sh --system as root, into a throwaway root directory (<c>--root</c>) with a group of the test's own: the
/// group, the set-group-id store directory, the system configuration file, the programs and the server's unit, what
/// a second run changes (nothing), an existing configuration kept, and removal.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(InstallScript.Collection)]
public sealed class SystemInstallTests : IDisposable
{
    private readonly InstallScript _install = new();
    private readonly Sandbox _sandbox = new();

    public void Dispose()
    {
        _install.Dispose();
        _sandbox.Dispose();
    }

    [RootFact]
    public void A_system_install_makes_the_group_the_shared_directory_the_configuration_the_programs_and_the_unit_and_a_second_run_changes_nothing()
    {
        Directory.CreateDirectory(Path.Combine(_install.Root, "run", "systemd", "system"));
        var programs = _install.Programs();

        var first = _install.Run("--system", "--from", programs, "--member", "nobody");
        var tree = Tree();
        var second = _install.Run("--system", "--from", programs, "--member", "nobody");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(_install.GroupExists(), $"the group {_install.Group} was not made");
        Assert.Contains("nobody", _install.GroupMembers());
        var store = _install.StoreDirectory;
        Assert.Equal(("2770", "root", _install.Group), Stat(store));
        Assert.Equal($"{{ \"database\": \"{store}/scriptmon.db\" }}\n", File.ReadAllText(_install.ConfigFile));
        Assert.Equal(("644", "root", "root"), Stat(_install.ConfigFile));
        Assert.Equal(("755", "root", "root"), Stat(Path.Combine(_install.Root, "usr", "local", "bin", "scriptmon")));
        Assert.Equal(("755", "root", "root"), Stat(Path.Combine(_install.Root, "usr", "local", "bin", "scriptmon-server")));
        var unit = Path.Combine(_install.Root, "etc", "systemd", "system", "scriptmon-server.service");
        Assert.Equal(File.ReadAllText(Path.Combine(InstallScript.RepositoryRoot, "deploy", "scriptmon-server.service")), File.ReadAllText(unit));
        var dropIn = File.ReadAllText(unit + ".d/shared-store.conf");
        Assert.Contains($"SupplementaryGroups={_install.Group}\n", dropIn, StringComparison.Ordinal);
        Assert.Contains("ReadWritePaths=/var/lib/scriptmon\n", dropIn, StringComparison.Ordinal);
        Assert.Contains("StateDirectory=\n", dropIn, StringComparison.Ordinal);
        Assert.Contains("systemctl enable --now scriptmon-server", first.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("multi-user.target.wants", string.Join('\n', tree.Keys));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(tree, Tree());
        Assert.All(
            second.Stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(' ') && !l.StartsWith("the server is installed", StringComparison.Ordinal)),
            line => Assert.StartsWith("unchanged ", line, StringComparison.Ordinal));
    }

    [RootFact]
    public void Every_user_reads_the_shared_store_from_the_system_configuration_and_the_database_is_made_group_writable()
    {
        var install = _install.Run("--system", "--from", _install.Programs());
        _sandbox.Database = string.Empty;
        _sandbox.Variables["SCRIPTMON_SYSTEM_CONFIG"] = _install.ConfigFile;

        var exec = _sandbox.Run("exec", "hello", "--", "true");
        var info = _sandbox.Run("db", "info");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Equal($"sqlite:{_install.StoreDirectory}/scriptmon.db", info.Field("store"));
        Assert.Equal("the system configuration file", info.Field("chosen by"));
        Assert.Equal(("660", "root", _install.Group), Stat(Path.Combine(_install.StoreDirectory, "scriptmon.db")));
    }

    [RootFact]
    public void An_existing_configuration_is_kept_without_force_and_replaced_with_it_keeping_the_old_one()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_install.ConfigFile)!);
        const string Own = "{ \"database\": \"postgresql://db1/runs\" }\n";
        File.WriteAllText(_install.ConfigFile, Own);
        var programs = _install.Programs();

        var kept = _install.Run("--system", "--from", programs);
        var keptText = File.ReadAllText(_install.ConfigFile);
        var forced = _install.Run("--system", "--from", programs, "--force");

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal(Own, keptText);
        Assert.Contains($"kept {_install.ConfigFile}, which says: {{ \"database\": \"postgresql://db1/runs\" }}", kept.Stdout, StringComparison.Ordinal);
        Assert.Contains("--force replaces it", kept.Stdout, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal($"{{ \"database\": \"{_install.StoreDirectory}/scriptmon.db\" }}\n", File.ReadAllText(_install.ConfigFile));
        Assert.Equal(Own, File.ReadAllText(_install.ConfigFile + ".old"));
        Assert.Contains($"replaced {_install.ConfigFile} (the old one is kept as {_install.ConfigFile}.old)", forced.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void Without_systemd_no_unit_is_installed_and_uninstall_removes_what_was_installed_keeping_the_store_unless_purged()
    {
        var install = _install.Run("--system", "--from", _install.Programs());
        File.WriteAllText(Path.Combine(_install.StoreDirectory, "scriptmon.db"), string.Empty);

        var uninstall = _install.Run("--system", "--uninstall");
        var left = Tree().Keys.Where(p => File.Exists(Path.Combine(_install.Root, p))).ToList();
        var groupKept = _install.GroupExists();
        var purge = _install.Run("--system", "--uninstall", "--purge");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("systemd is not running here", install.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_install.Root, "etc", "systemd")), "a unit was installed where systemd does not run");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Equal(["var/lib/scriptmon/scriptmon.db"], left);
        Assert.True(groupKept, "uninstall without --purge removed the group");
        Assert.Contains("kept the store", uninstall.Stdout, StringComparison.Ordinal);
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.False(Directory.Exists(_install.StoreDirectory), "--purge kept the store");
        Assert.False(_install.GroupExists(), "--purge kept the group");
    }

    [Fact]
    public void Bad_options_are_refused_naming_them_and_nothing_is_installed()
    {
        var unknown = _install.Run("--sytem");
        var purge = _install.Run("--purge");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("install.sh: unknown option '--sytem' (see --help)", unknown.Stderr.Trim());
        Assert.Equal(1, purge.ExitCode);
        Assert.Equal("install.sh: --purge goes with --system --uninstall", purge.Stderr.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_install.Root));
    }

    [RootFact]
    public void A_member_the_host_does_not_know_is_refused_before_anything_is_installed()
    {
        var result = _install.Run("--system", "--from", _install.Programs(), "--member", "no-such-user-here");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("install.sh: --member no-such-user-here: there is no such user; nothing was installed", result.Stderr.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_install.Root));
        Assert.False(_install.GroupExists(), "the group was made");
    }

    /// <summary>Every file and directory under the root: its mode, owner, group and (files) a hash of its bytes.</summary>
    private Dictionary<string, string> Tree() =>
        Directory.EnumerateFileSystemEntries(_install.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(
                path => Path.GetRelativePath(_install.Root, path),
                path => $"{Stat(path)} {(File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "dir")}");

    private static (string Mode, string User, string Group) Stat(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%a %U %G", path]) { RedirectStandardOutput = true })!;
        var fields = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        process.WaitForExit();
        return (fields[0], fields[1], fields[2]);
    }
}
