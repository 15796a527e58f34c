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
        { ["runs", "job", "--limit", "0"], "--limit must be a whole number from 1 to 10000 (got '0')" },
        { ["runs", "job", "--limit", "many"], "--limit must be a whole number from 1 to 10000 (got 'many')" },
        { ["stats", "nope"], "no script named 'nope'" },
        { ["stats", "job", "--since", "2026-13-45"], "--since must be an ISO 8601 time" },
        { ["prune", "--older-than", "-1d"], "--older-than must not be negative" },
        { ["prune", "--older-than", "5"], "--older-than must be a number and a unit" },
        { ["prune"], "--older-than" },
        { ["prune", "--older-than", "1d", "--keep-last", "-1"], "--keep-last must be a whole number of at least 0 (got '-1')" },
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
        { ["expect", "job", "--failures-tolerated", "101"], "--failures-tolerated must be a whole number from 0 to 100 (got '101')" },
        { ["expect", "job", "--failures-tolerated", "-1"], "--failures-tolerated must be a whole number from 0 to 100 (got '-1')" },
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

        // Numbers, durations and times beyond what any arithmetic on them can hold.
        { ["exec", "job", "--timeout", "99999999999999999999w", "--", "true"], "--timeout must be at most 36500d" },
        { ["exec", "job", "--kill-after", "10675199d", "--", "true"], "--kill-after must be at most 36500d" },
        { ["runs", "job", "--since", "-99999999w"], "--since must not reach back more than 36500d" },
        { ["record", "job", "--started", "-999999w", "--completed", "now"], "--started must not reach back more than 36500d" },
        { ["prune", "--older-than", "9999999999999999999999999999999999w"], "--older-than must be at most 36500d" },
        { ["expect", "job", "--max-runtime", "99999999999999999999w"], "--max-runtime must be at most 36500d" },
        { ["record", "job", "--started", "-1h", "--completed", "now", "--failed", "--exit-code", "99999999999"], "--exit-code must be a whole number from 0 to 255 (got '99999999999')" },
        { ["expect", "job", "--hosts", "a,b", "--at-least", "-2147483649"], "--at-least must be a whole number from 1 to 1000" },

        // Names that cannot be seen as they are, or that break a line.
        { ["exec", "ab\u202Ec", "--", "true"], "NAME must not contain invisible format characters such as bidi controls or zero-width characters (found U+202E at character 3)" },
        { ["record", "zero\u200Bwidth", "--started", "-1h", "--completed", "now"], "NAME must not contain invisible format characters" },
        { ["expect", "line\u2028break", "--every", "1h"], "NAME must not contain line or paragraph separators (found U+2028" },
        { ["exec", "job", "--host", "web\u200D1", "--", "true"], "--host must not contain invisible format characters" },
        { ["exec", "\u0378job", "--", "true"], "NAME must not contain unassigned code points" },
        { ["exec", "   ", "--", "true"], "NAME must not start or end with white space" },
        { ["exec", new string('n', 256), "--", "true"], "NAME must be 1 to 255 characters long (it is 256)" },
        { ["last", "--bogus"], "unknown option '--bogus'" },

        // Store settings that cannot mean what they seem to.
        { ["--database", "", "status"], "--database must name a SQLite file or a PostgreSQL connection string; it is empty." },
        { ["--database", "Database=runs;Username=mon", "status"], "is a PostgreSQL connection string that names no host: add Host=" },
        { ["--database", "mysql://db1/runs", "status"], "is a mysql: URI" },
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
        Assert.Empty(Directory.GetFileSystemEntries(_sandbox.Root));
    }

    [Fact]
    public void A_plugin_refuses_a_bad_host_script_pair_and_an_unknown_option_as_unknown()
    {
        var pair = _sandbox.Run("check", "--window", "60", "web1:job\u200B");
        var option = _sandbox.Run("check", "--bogus");

        Assert.Equal(3, pair.ExitCode);
        Assert.Contains("SCRIPT must not contain invisible format characters", pair.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, option.ExitCode);
        Assert.StartsWith("SCRIPTMON UNKNOWN - unknown option '--bogus'", option.Stdout, StringComparison.Ordinal);
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
