using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ScriptMonitor.Application.CronControl;

namespace ScriptMonitor.Tests.Scripts;

public sealed class CronControlFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("scriptmon-cron-");
    private readonly FakeLogger _logger = new();

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("", "backup", true)]
    [InlineData("[DEFAULT]\nenabled = true\n", "backup", true)]
    [InlineData("[DEFAULT]\nenabled = false\n", "backup", false)]
    [InlineData("[DEFAULT]\nenabled: False\n[backup]\nenabled: True\n", "backup", true)]
    [InlineData("[DEFAULT]\nenabled = yes\n[backup]\nenabled = no\n", "backup", false)]
    [InlineData("[DEFAULT]\nenabled = yes\n[backup]\nenabled = no\n", "report", true)]
    [InlineData("# comment\n; another\n[backup]\n  enabled = off  \nother = x\n", "backup", false)]
    public void The_scripts_own_section_wins_over_DEFAULT(string content, string script, bool enabled)
    {
        var path = Write(content);

        var decision = CronControlFile.Check(path, script, _logger);

        Assert.Equal(enabled, decision.Enabled);
        if (!enabled)
        {
            Assert.Contains(path, decision.Reason, StringComparison.Ordinal);
        }

        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void A_missing_file_enables_everything_silently()
    {
        var decision = CronControlFile.Check(Path.Combine(_directory.FullName, "absent.ini"), "backup", _logger);

        Assert.True(decision.Enabled);
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Theory]
    [InlineData("enabled = false\n", "inside a [section]")]
    [InlineData("[DEFAULT\nenabled = false\n", "section header")]
    [InlineData("[DEFAULT]\nenabled = maybe\n", "true or false")]
    public void A_malformed_file_fails_open_with_a_warning(string content, string problem)
    {
        var decision = CronControlFile.Check(Write(content), "backup", _logger);

        Assert.True(decision.Enabled);
        var warning = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(problem, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_file_fails_open_with_a_warning()
    {
        var decision = CronControlFile.Check(_directory.FullName, "backup", _logger);

        Assert.True(decision.Enabled);
        Assert.Equal(LogLevel.Warning, Assert.Single(_logger.Collector.GetSnapshot()).Level);
    }

    private string Write(string content)
    {
        var path = Path.Combine(_directory.FullName, "cron-control.ini");
        File.WriteAllText(path, content);
        return path;
    }
}
