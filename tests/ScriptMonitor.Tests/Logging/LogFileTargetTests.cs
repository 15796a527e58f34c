using Microsoft.Extensions.Logging;
using ScriptMonitor.Scripts.Logging;

namespace ScriptMonitor.Tests.Logging;

public sealed class LogFileTargetTests
{
    [Theory]
    [InlineData("/var/log/x.log", "/var/log/x.log", null)]
    [InlineData("DEBUG:/var/log/x.log", "/var/log/x.log", LogLevel.Debug)]
    [InlineData("info:/var/log/x.log", "/var/log/x.log", LogLevel.Information)]
    [InlineData("WARNING:/tmp/a:b.log", "/tmp/a:b.log", LogLevel.Warning)]
    [InlineData("/tmp/a:b.log", "/tmp/a:b.log", null)]
    [InlineData("nolevel:/tmp/x.log", "nolevel:/tmp/x.log", null)]
    public void Parses_an_optional_level_before_the_path(string value, string path, LogLevel? level)
    {
        Assert.True(LogFileTarget.TryParse(value, out var target, out _));

        Assert.Equal(Path.GetFullPath(path), target!.Path);
        Assert.Equal(level, target.Level);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ERROR:")]
    public void Refuses_a_value_without_a_path(string value)
    {
        Assert.False(LogFileTarget.TryParse(value, out _, out var error));
        Assert.Contains("[LEVEL:]PATH", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LogLevel.Trace, LogLevel.Trace)]
    [InlineData(LogLevel.Debug, LogLevel.Debug)]
    [InlineData(LogLevel.Information, LogLevel.Information)]
    [InlineData(LogLevel.Error, LogLevel.Information)]
    [InlineData(LogLevel.None, LogLevel.Information)]
    public void Without_a_level_the_file_follows_the_console_but_never_below_information(LogLevel console, LogLevel file)
    {
        Assert.Equal(file, new LogFileTarget("/tmp/x.log", null).EffectiveLevel(console));
    }

    [Theory]
    [InlineData(0, 0, LogLevel.Information)]
    [InlineData(1, 0, LogLevel.Debug)]
    [InlineData(5, 0, LogLevel.Trace)]
    [InlineData(0, 2, LogLevel.Error)]
    [InlineData(0, 9, LogLevel.None)]
    [InlineData(2, 1, LogLevel.Debug)]
    public void Each_v_and_q_moves_the_console_level_one_step(int verbose, int quiet, LogLevel level)
    {
        Assert.Equal(level, ScriptLogging.ConsoleLevel(verbose, quiet));
    }
}
