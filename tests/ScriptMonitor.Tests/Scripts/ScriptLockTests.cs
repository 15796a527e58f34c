using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Application.Locking;

namespace ScriptMonitor.Tests.Scripts;

public sealed class ScriptLockTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("scriptmon-locks-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_held_lock_is_refused_at_once_and_the_refusal_is_logged()
    {
        using var first = ScriptLock.TryAcquire(_directory.FullName, "backup", _clock, _logger);

        var second = ScriptLock.TryAcquire(_directory.FullName, "backup", _clock, _logger);

        Assert.NotNull(first);
        Assert.Null(second);
        var record = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("already running", record.Message, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_released_lock_can_be_taken_again_without_a_warning()
    {
        ScriptLock.TryAcquire(_directory.FullName, "backup", _clock, _logger)!.Dispose();

        using var again = ScriptLock.TryAcquire(_directory.FullName, "backup", _clock, _logger);

        Assert.NotNull(again);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public void Different_scripts_have_different_locks()
    {
        using var backup = ScriptLock.TryAcquire(_directory.FullName, "backup", _clock, _logger);
        using var report = ScriptLock.TryAcquire(_directory.FullName, "report", _clock, _logger);

        Assert.NotNull(backup);
        Assert.NotNull(report);
    }

    [Fact]
    public void A_stale_lock_file_left_by_a_crash_is_claimed_with_a_warning()
    {
        // What a run killed with SIGKILL leaves behind: the lock file and its owner file, no lock held.
        File.WriteAllText(ScriptLock.PathFor(_directory.FullName, "backup"), string.Empty);
        File.WriteAllText(ScriptLock.PathFor(_directory.FullName, "backup") + ".owner", "pid 999999 since 2026-03-01T00:00:00.000000+00:00\n");

        using var claimed = ScriptLock.TryAcquire(_directory.FullName, "backup", _clock, _logger);

        Assert.NotNull(claimed);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("stale lock", warning.Message, StringComparison.Ordinal);
        Assert.Contains("pid 999999", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b", "a/b ")]
    [InlineData("A", "a")]
    [InlineData("x y", "x_y")]
    public void Names_that_look_alike_on_disk_get_different_lock_files(string one, string other)
    {
        Assert.NotEqual(ScriptLock.PathFor("/locks", one), ScriptLock.PathFor("/locks", other));
    }

    [Fact]
    public void A_lock_file_name_is_safe_and_bounded_whatever_the_script_name()
    {
        var path = ScriptLock.PathFor("/locks", "../../etc/" + new string('x', 255));

        Assert.Equal("/locks", Path.GetDirectoryName(path));
        Assert.True(Path.GetFileName(path).Length < 100);
    }
}
