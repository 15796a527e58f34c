using System.Globalization;
using ScriptMonitor.Application.Crontabs;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// scriptmon crontab import --wrap and --unwrap on a crontab file: the jobs run under scriptmon exec and do what
/// they did, the file keeps its mode and everything but the commands, and unwrapping gives back its bytes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CrontabWrapCommandTests : IDisposable
{
    /// <summary>A change of directory, standard input after '%', quotes and an escaped '%', comments and variables.</summary>
    private const string Crontab = "# jobs of the test\nSHELL=/bin/sh\nRESULT = ignored\n\n"
        + "* * * * * cd sub && pwd > ../result-cd\n"
        + "*/5 * * * *   cat > result-input%first line%second \\% line\n"
        + "0 0 * * *\tprintf '\\%s|' \"it's\" 'a b' > result-quote\n"
        + "@reboot /bin/true\n";

    private readonly Sandbox _sandbox = new();
    private readonly string _crontab;
    private readonly string _backups;
    private readonly string _scriptmon;

    public CrontabWrapCommandTests()
    {
        _crontab = _sandbox.File("jobs");
        File.WriteAllText(_crontab, Crontab);
        File.SetUnixFileMode(_crontab, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        _backups = _sandbox.File("backups");
        Directory.CreateDirectory(_sandbox.File("sub"));

        // cron runs scriptmon by an absolute path; this one starts the scriptmon under test.
        _scriptmon = _sandbox.File("bin", "scriptmon");
        Directory.CreateDirectory(_sandbox.File("bin"));
        File.WriteAllText(_scriptmon, $"#!/bin/sh\nexec {Sandbox.ShellCommand()} \"$@\"\n");
        File.SetUnixFileMode(_scriptmon, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Wrap_keeps_everything_but_the_commands_a_second_wrap_changes_nothing_and_unwrap_gives_back_the_bytes()
    {
        var before = _sandbox.Run("crontab", "import", "--file", _crontab, "--zone", "UTC", "--json");

        var wrap = Wrap("--wrap", "--apply");
        var wrapped = File.ReadAllText(_crontab);
        var after = _sandbox.Run("crontab", "import", "--file", _crontab, "--zone", "UTC", "--json");
        var again = Wrap("--wrap", "--apply");
        var unwrap = Wrap("--unwrap", "--apply");

        Assert.True(wrap.ExitCode == 0, wrap.ToString());
        Assert.Contains($"{_crontab}: wrapped lines 5, 6, 7 (the original is kept in {_backups}/", wrap.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            Crontab.Replace("* * * * * cd", $"* * * * * {_scriptmon} exec pwd -- /bin/sh -c 'cd", StringComparison.Ordinal)
                .Replace("result-cd\n", "result-cd'\n", StringComparison.Ordinal)
                .Replace("*/5 * * * *   cat", $"*/5 * * * *   {_scriptmon} exec cat -- /bin/sh -c 'cat", StringComparison.Ordinal)
                .Replace("result-input%", "result-input'%", StringComparison.Ordinal)
                .Replace("0 0 * * *\tprintf '\\%s|' \"it's\" 'a b' > result-quote", $"0 0 * * *\t{_scriptmon} exec printf -- /bin/sh -c 'printf '\\''\\%s|'\\'' \"it'\\''s\" '\\''a b'\\'' > result-quote'", StringComparison.Ordinal),
            wrapped);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_crontab));
        Assert.Equal(Crontab, File.ReadAllText(Assert.Single(Directory.GetFiles(_backups, "*", SearchOption.AllDirectories).Order().Take(1))));
        Assert.Equal(Jobs(before), Jobs(after));
        Assert.Contains($"{_crontab}: nothing to wrap.", again.Stdout, StringComparison.Ordinal);
        Assert.True(unwrap.ExitCode == 0, unwrap.ToString());
        Assert.Equal(Crontab, File.ReadAllText(_crontab));
    }

    [Fact]
    public async Task A_wrapped_job_run_as_cron_runs_it_does_what_the_original_did_and_is_recorded()
    {
        var original = CrontabReader.Read("jobs", Crontab, CrontabFormat.User).Entries;
        var wrap = Wrap("--wrap", "--apply");
        var wrapped = CrontabReader.Read("jobs", File.ReadAllText(_crontab), CrontabFormat.User).Entries;

        Assert.True(wrap.ExitCode == 0, wrap.ToString());
        var results = new List<string>();
        foreach (var (plain, under) in original.Zip(wrapped).Where(pair => pair.First.Schedule != "@reboot"))
        {
            var expected = await RunAsCronAsync(plain);
            var actual = await RunAsCronAsync(under);
            Assert.Equal(expected, actual);
            results.Add(actual);
        }

        Assert.Equal([$"result-cd: {_sandbox.File("sub")}\n", "result-input: first line\nsecond % line", "result-quote: it's|a b|"], results);
        foreach (var name in new[] { "pwd", "cat", "printf" })
        {
            var last = _sandbox.Run("last", name);
            Assert.True(last.ExitCode == 0, last.ToString());
            Assert.Equal("succeeded", last.Field("outcome"));
        }
    }

    [Fact]
    public void A_dry_run_shows_the_new_lines_and_changes_nothing_and_backups_in_cron_d_are_refused()
    {
        var dry = Wrap("--wrap");
        var inCronD = _sandbox.Run("crontab", "import", "--file", _crontab, "--wrap", "--apply", "--scriptmon", _scriptmon, "--backup-dir", "/etc/cron.d/old");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"{_crontab}: would wrap lines 5, 6, 7:", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  5: * * * * * {_scriptmon} exec pwd -- /bin/sh -c 'cd sub && pwd > ../result-cd'", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("no crontab was changed; give --apply", dry.Stderr, StringComparison.Ordinal);
        Assert.True(inCronD.ExitCode == 2, inCronD.ToString());
        Assert.Contains("--backup-dir must be outside /etc/cron.d", inCronD.Stderr, StringComparison.Ordinal);
        Assert.Equal(Crontab, File.ReadAllText(_crontab));
        Assert.False(File.Exists(_sandbox.Database), "a refused wrap set expectations");
    }

    [Fact]
    public async Task A_users_crontab_is_read_with_crontab_l_and_installed_with_crontab_dash()
    {
        // A stand-in for crontab(1) that keeps www-data's crontab in a file.
        var stored = _sandbox.File("www-data.crontab");
        File.WriteAllText(stored, Crontab);
        var fake = _sandbox.File("bin", "crontab");
        File.WriteAllText(fake, $"#!/bin/sh\ncase \"$*\" in\n'-u www-data -l') cat '{stored}' ;;\n'-u www-data -') cat > '{stored}' ;;\n*) echo \"unexpected: $*\" >&2; exit 1 ;;\nesac\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = $"PATH='{_sandbox.File("bin")}':$PATH \"$@\"";

        var wrap = await _sandbox.RunThroughShellAsync(path, "crontab", "import", "--user", "www-data", "--wrap", "--apply", "--scriptmon", _scriptmon, "--backup-dir", _backups);
        var wrapped = File.ReadAllText(stored);
        var unwrap = await _sandbox.RunThroughShellAsync(path, "crontab", "import", "--user", "www-data", "--unwrap", "--apply", "--backup-dir", _backups);

        Assert.True(wrap.ExitCode == 0, wrap.ToString());
        Assert.Contains("crontab -u www-data -l: wrapped lines 5, 6, 7", wrap.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{_scriptmon} exec cat -- /bin/sh -c 'cat > result-input'%first line", wrapped, StringComparison.Ordinal);
        Assert.True(unwrap.ExitCode == 0, unwrap.ToString());
        Assert.Equal(Crontab, File.ReadAllText(stored));
    }

    [Fact]
    public void A_file_that_changed_after_it_was_read_is_not_replaced()
    {
        var original = File.ReadAllBytes(_crontab);
        File.AppendAllText(_crontab, "# edited meanwhile\n");

        var e = Assert.Throws<ScriptMonitor.Configuration.ConfigurationException>(() => Crontabs.CrontabFiles.Replace(_crontab, original, [.. original, .. "# wrapped\n"u8]));

        Assert.Equal($"{_crontab} changed after it was read; nothing was written. Run the command again.", e.Message);
        Assert.Equal(Crontab + "# edited meanwhile\n", File.ReadAllText(_crontab));
        Assert.Equal(["jobs"], Directory.GetFiles(_sandbox.Root).Select(Path.GetFileName));
    }

    private CliResult Wrap(params string[] mode) => _sandbox.Run(
        ["crontab", "import", "--file", _crontab, "--zone", "UTC", .. mode, .. mode.Contains("--wrap") ? new[] { "--scriptmon", _scriptmon } : [], "--backup-dir", _backups]);

    /// <summary>What cron(8) does with a job: its shell runs the command, with the '%' part on standard input.</summary>
    private async Task<string> RunAsCronAsync(CrontabEntry entry)
    {
        foreach (var stale in Directory.GetFiles(_sandbox.Root, "result-*"))
        {
            File.Delete(stale);
        }

        using var shell = _sandbox.StartProgram(entry.Shell, "-c", entry.Command);
        await shell.StandardInput.WriteAsync(entry.Input ?? string.Empty);
        shell.StandardInput.Close();
        var result = await Sandbox.CompleteAsync(shell);
        Assert.True(result.ExitCode == 0, result.ToString());
        var file = Assert.Single(Directory.GetFiles(_sandbox.Root, "result-*"));
        return $"{Path.GetFileName(file)}: {File.ReadAllText(file)}";
    }

    private static string[] Jobs(CliResult import) =>
        [.. import.Json().GetProperty("jobs").EnumerateArray().Select(j => string.Join(
            ' ',
            j.GetProperty("line").GetInt32().ToString(CultureInfo.InvariantCulture),
            j.GetProperty("name").GetString(),
            j.GetProperty("schedule").GetString(),
            j.GetProperty("nextDue").GetString()))];
}
