using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class BadInputTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    public static TheoryData<string[], string> Cases => new()
    {
        { ["exec", "job", "true"], "exec needs '--'" },
        { ["exec", "job"], "exec needs '--'" },
        { ["exec", "job", "--"], "exec needs a command after '--'" },
        { ["exec", "job", "--timeout", "-5s", "--", "true"], "--timeout must not be negative" },
        { ["exec", "job", "--timeout", "soon", "--", "true"], "--timeout must be a number and a unit" },
        { ["exec", "job", "--timeout", "0s", "--", "true"], "--timeout must be greater than zero" },
        { ["exec", "job", "--kill-after", "-1s", "--", "true"], "--kill-after must not be negative" },
        { ["exec", " padded", "--", "true"], "NAME must not start or end with white space" },
        { ["exec", "job", "--host", "", "--", "true"], "--host must be 1 to 255 characters" },
        { ["record", "job", "--started", "yesterday", "--completed", "now"], "--started must be an ISO 8601 time" },
        { ["record", "job", "--started", "now", "--completed", "-1h"], "--completed (" },
        { ["record", "job", "--started", "2999-01-01", "--completed", "2999-01-02"], "--started must not be more than 24 hours in the future" },
        { ["record", "job", "--started", "1960-01-01", "--completed", "now"], "--started must not be before" },
        { ["record", "job", "--started", "-1h", "--completed", "now", "--exit-code", "3"], "give them with --failed" },
        { ["record", "job", "--completed", "now"], "--started" },
        { ["last", "nope"], "no script named 'nope'" },
        { ["last"], "NAME" },
        { ["runs", "nope"], "no script named 'nope'" },
        { ["runs", "job", "--since", "last tuesday"], "--since must be an ISO 8601 time" },
        { ["runs", "job", "--since", "now", "--until", "-1h"], "--until (" },
        { ["runs", "job", "--limit", "0"], "--limit must be between 1 and 10000" },
        { ["runs", "job", "--limit", "many"], "many" },
        { ["stats", "nope"], "no script named 'nope'" },
        { ["stats", "job", "--since", "2026-13-45"], "--since must be an ISO 8601 time" },
        { ["prune", "--older-than", "-1d"], "--older-than must not be negative" },
        { ["prune", "--older-than", "5"], "--older-than must be a number and a unit" },
        { ["prune"], "--older-than" },
        { ["prune", "--older-than", "1d", "--keep-last", "-1"], "--keep-last must not be negative" },
        { ["status", "--verbose-please"], "--verbose-please" },
        { ["spool"], "Required command was not provided" },
        { ["db", "drop"], "drop" },
        { ["frobnicate"], "frobnicate" },
        { ["expect", "job"], "expect NAME needs a setting" },
        { ["expect"], "NAME is required" },
        { ["expect", "job", "--every", "soon"], "--every must be a number and a unit" },
        { ["expect", "job", "--every", "30s"], "--every must be between 1m and 366d" },
        { ["expect", "job", "--every", "1h", "--cron", "0 * * * *"], "--every and --cron exclude one another" },
        { ["expect", "job", "--cron", "61 * * * *"], "--cron '61 * * * *' is not a cron schedule: the minute field '61'" },
        { ["expect", "job", "--cron", "0 2 * * *", "--tz", "Mars/Olympus"], "--tz must be an IANA time zone" },
        { ["expect", "job", "--tz", "UTC"], "--tz is the time zone of a cron schedule" },
        { ["expect", "job", "--grace", "-1m"], "--grace must not be negative" },
        { ["expect", "job", "--min-runtime", "2h", "--max-runtime", "1h"], "--min-runtime (2h) must not be more than --max-runtime (1h)" },
        { ["expect", "job", "--max-runtime", "0s"], "--max-runtime must be greater than zero" },
        { ["expect", "job", "--hosts", "a,b", "--at-least", "3"], "--at-least must be between 1 and the number of hosts listed (2)" },
        { ["expect", "job", "--at-least", "1"], "--at-least counts hosts of a list" },
        { ["expect", "job", "--hosts", "a,,b"], "--hosts" },
        { ["expect", "job", "--hosts", "a,a"], "--hosts must not list 'a' twice" },
        { ["expect", "job", "--failures-tolerated", "99"], "--failures-tolerated must be between 0 and 23" },
        { ["expect", "job", "--failures-tolerated", "-1"], "--failures-tolerated must not be negative" },
        { ["expect", "job", "--until", "2099-01-01"], "--until ends a pause" },
        { ["expect", "job", "--pause", "--until", "-1h"], "--until (" },
        { ["expect", "job", "--pause", "--resume"], "--pause and --resume exclude one another" },
        { ["expect", "job", "--tag", "a", "--tag", "a"], "--tag must not hold 'a' twice" },
        { ["expect", "job", "--show", "--remove"], "exclude one another" },
        { ["expect", "job", "--show", "--every", "1h"], "take no settings" },
        { ["expect", "job", "--save"], "--save saves what --learn inferred" },
        { ["expect", "job", "--list"], "--list lists every expectation and takes no NAME" },
        { ["expect", " job", "--every", "1h"], "NAME must not start or end with white space" },
        { ["expect", "job", "--learn"], "no script named 'job'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gives_one_line_naming_the_rule_exit_2_and_writes_nothing(string[] args, string expected)
    {
        var result = _sandbox.Run(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("scriptmon: error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal(string.Empty, result.Stdout);
        Assert.False(File.Exists(_sandbox.Database), "a database was created");
        Assert.False(Directory.Exists(_sandbox.SpoolDirectory), "a spool was created");
    }

    [Theory]
    [InlineData("last")]
    [InlineData("runs")]
    [InlineData("stats")]
    public void An_unknown_script_in_an_existing_store_is_bad_input_that_changes_nothing(string command)
    {
        _sandbox.Run("exec", "known", "--", "true");
        var before = File.ReadAllBytes(_sandbox.Database);

        var result = _sandbox.Run(command, "unknown");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no script named 'unknown'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_sandbox.Database));
    }
}
