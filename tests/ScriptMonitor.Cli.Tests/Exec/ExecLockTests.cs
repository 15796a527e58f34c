using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>
/// <c>exec --lock</c> follows <c>flock(1)</c>: the job inherits the locked descriptor, so the lock is held while any
/// process of the job runs; a lock directory that cannot be used fails closed, visibly.
/// </summary>
public sealed class ExecLockTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    public static TheoryData<string> UnusableLockDirectories => new()
    {
        "a file where the lock directory should be",
        "a lock directory under a file, so it cannot be created",
        "a directory where the lock file should be",
    };

    [Theory]
    [MemberData(nameof(UnusableLockDirectories))]
    public async Task Exec_with_an_unusable_lock_directory_does_not_start_the_job_exits_125_and_records_a_failed_run(string situation)
    {
        var lockDirectory = Unusable(situation);
        var marker = _sandbox.File("ran");

        var result = await _sandbox.RunThroughShellAsync(
            $"SCRIPTMON_LOCK_DIR='{lockDirectory}' exec \"$@\"", "exec", "guarded", "--lock", "--", "touch", marker);

        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.False(File.Exists(marker));
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"The lock directory {lockDirectory} cannot be used", line, StringComparison.Ordinal);
        var run = Runs.Only(_sandbox, "guarded");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(125, run.GetProperty("exitCode").GetInt32());
        Assert.StartsWith($"[scriptmon] not started: lock directory {lockDirectory} cannot be used", run.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_lock_stays_held_by_the_job_after_scriptmon_is_killed()
    {
        using var first = _sandbox.Start("exec", "held", "--lock", "--", "sh", "-c", $"echo $$ > job; touch ready; while [ ! -e stop ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done");
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));
        var owner = Path.Combine(_sandbox.LockDirectory, LockFileName("held") + ".owner");
        await Sandbox.WaitUntilAsync(() => File.Exists(owner) && File.ReadAllText(owner).Contains("command process group", StringComparison.Ordinal), "the owner file to name the job");
        first.Kill();
        await first.WaitForExitAsync();

        var whileJobRuns = await _sandbox.RunAsync("exec", "held", "--lock", "--", "touch", _sandbox.File("overlapped"));
        await File.WriteAllTextAsync(_sandbox.File("stop"), string.Empty);
        var job = int.Parse(_sandbox.Lines("job").Single(), CultureInfo.InvariantCulture);
        await Sandbox.WaitUntilAsync(() => !Directory.Exists($"/proc/{job}"), "the job to end");
        var afterJob = await _sandbox.RunAsync("exec", "held", "--lock", "--", "true");

        Assert.True(whileJobRuns.ExitCode == 1, whileJobRuns.ToString());
        Assert.False(File.Exists(_sandbox.File("overlapped")));
        Assert.Contains("already running", whileJobRuns.Stderr, StringComparison.Ordinal);
        Assert.Contains("command process group", whileJobRuns.Stderr, StringComparison.Ordinal);
        Assert.True(afterJob.ExitCode == 0, afterJob.ToString());
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task Exec_lock_is_held_by_background_processes_of_the_job_unless_released_on_exit(bool releaseOnExit, int nextRunStatus)
    {
        string[] options = releaseOnExit ? ["--lock", "--release-lock-on-exit"] : ["--lock"];
        var daemon = $"(while [ ! -e stop ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done) >/dev/null 2>&1 & echo $! > daemon";

        var first = await _sandbox.RunAsync(["exec", "daemons", .. options, "--", "sh", "-c", daemon]);
        var next = await _sandbox.RunAsync("exec", "daemons", "--lock", "--", "true");
        await File.WriteAllTextAsync(_sandbox.File("stop"), string.Empty);
        var background = int.Parse(_sandbox.Lines("daemon").Single(), CultureInfo.InvariantCulture);
        await Sandbox.WaitUntilAsync(() => !Directory.Exists($"/proc/{background}"), "the background process to end");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(next.ExitCode == nextRunStatus, next.ToString());
    }

    [Fact]
    public async Task Exec_records_a_run_skipped_for_a_held_lock_as_a_skipped_event_naming_the_holder_not_as_a_run()
    {
        using var first = _sandbox.Start("exec", "busy", "--lock", "--", "sh", "-c", $"touch ready; while [ ! -e stop ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done");
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));

        var skipped = await _sandbox.RunAsync("exec", "busy", "--lock", "--", "touch", _sandbox.File("overlapped"));
        await File.WriteAllTextAsync(_sandbox.File("stop"), string.Empty);
        var firstResult = await Sandbox.CompleteAsync(first);

        Assert.True(skipped.ExitCode == 1, skipped.ToString());
        Assert.False(File.Exists(_sandbox.File("overlapped")));
        Assert.True(firstResult.ExitCode == 0, firstResult.ToString());
        var skip = Assert.Single(await SkipsAsync("busy"));
        Assert.StartsWith($"pid {first.Id} (command process group ", skip.Holder, StringComparison.Ordinal);
        var run = Assert.Single(Runs.All(_sandbox, "busy"));
        Assert.Equal("succeeded", run.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Exec_spools_a_skipped_event_the_store_cannot_take_and_flush_delivers_it_once()
    {
        var good = _sandbox.Database;
        using var first = _sandbox.Start("exec", "busy", "--lock", "--", "sh", "-c", $"touch ready; while [ ! -e stop ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done");
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));
        File.WriteAllText(_sandbox.File("not-a-directory"), string.Empty);
        _sandbox.Database = _sandbox.File("not-a-directory", "scriptmon.db");

        var skipped = await _sandbox.RunAsync("exec", "busy", "--lock", "--", "true");
        var spooledFiles = Directory.GetFiles(_sandbox.SpoolDirectory, "*.skip.json");
        _sandbox.Database = good;
        Assert.Equal(0, _sandbox.Run("spool", "flush").ExitCode);
        Assert.Equal(0, _sandbox.Run("spool", "flush").ExitCode);
        await File.WriteAllTextAsync(_sandbox.File("stop"), string.Empty);
        await Sandbox.CompleteAsync(first);

        Assert.True(skipped.ExitCode == 1, skipped.ToString());
        Assert.Contains("The skipped run of busy was spooled", skipped.Stderr, StringComparison.Ordinal);
        Assert.Single(spooledFiles);
        Assert.Empty(Directory.GetFiles(_sandbox.SpoolDirectory, "*.skip.json"));
        Assert.StartsWith($"pid {first.Id} ", Assert.Single(await SkipsAsync("busy")).Holder, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<ScriptMonitor.Runs.ScriptSkip>> SkipsAsync(string script)
    {
        await using var store = ScriptMonitor.Sqlite.SqliteScriptRunStore.Open(_sandbox.Database);
        return await store.ListSkipsAsync(script);
    }

    private string Unusable(string situation)
    {
        switch (situation)
        {
            case "a file where the lock directory should be":
                File.WriteAllText(_sandbox.File("locks-file"), string.Empty);
                return _sandbox.File("locks-file");
            case "a lock directory under a file, so it cannot be created":
                File.WriteAllText(_sandbox.File("plain-file"), string.Empty);
                return _sandbox.File("plain-file", "locks");
            default:
                var directory = _sandbox.File("locks-with-directory");
                Directory.CreateDirectory(Path.Combine(directory, LockFileName("guarded")));
                return directory;
        }
    }

    /// <summary>The lock file's name, as ScriptLock.PathFor makes it.</summary>
    private static string LockFileName(string script) =>
        Path.GetFileName(ScriptMonitor.Application.Locking.ScriptLock.PathFor("/", script));
}
