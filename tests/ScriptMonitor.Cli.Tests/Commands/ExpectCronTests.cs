using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>scriptmon expect --cron takes what cron runs and refuses, naming --cron and the rule, what cron would not.</summary>
public sealed class ExpectCronTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("0 0 30 2 *", "--cron '0 0 30 2 *' never fires: no month of the month field '2' has a day of the day-of-month field '30'")]
    [InlineData("@reboot", "--cron '@reboot' is not a schedule")]
    [InlineData("0 30 2 * * *", "--cron '0 30 2 * * *' has 6 fields, but a cron schedule has 5")]
    [InlineData("0 0 * * sat-sun", "--cron '0 0 * * sat-sun' is not a cron schedule: the day-of-week field 'sat-sun' has the range 'sat-sun', which runs backwards")]
    public void A_cron_expression_cron_would_not_run_as_written_is_refused_and_nothing_is_written(string expression, string message)
    {
        var result = _sandbox.Run("expect", "backup", "--cron", expression);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(_sandbox.Database), "a database was created");
    }

    [Fact]
    public void A_February_29th_job_and_an_at_name_are_accepted()
    {
        var leap = _sandbox.Run("expect", "leap", "--cron", "0 0 29 2 *");
        var weekly = _sandbox.Run("expect", "weekly", "--cron", "@weekly", "--tz", "Europe/Berlin");

        Assert.True(leap.ExitCode == 0, leap.ToString());
        Assert.Equal("at '0 0 29 2 *' (UTC)", leap.Field("schedule"));
        Assert.True(weekly.ExitCode == 0, weekly.ToString());
        Assert.Equal("at '@weekly' (Europe/Berlin)", weekly.Field("schedule"));
    }
}
