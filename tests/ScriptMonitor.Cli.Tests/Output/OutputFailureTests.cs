using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Cli.Tests.Output;

/// <summary>
/// Standard output closed (<c>&gt;&amp;-</c>), full (<c>/dev/full</c>) or abandoned by its reader (<c>| head -1</c>):
/// never an abort, at most one line on stderr, and never an exit status that claims success.
/// </summary>
public sealed class OutputFailureTests(OutputFailureTests.Store store) : IClassFixture<OutputFailureTests.Store>
{
    /// <summary>One writer serves every command, so a few commands of each kind of output cover them: a table, JSON, help.</summary>
    public static TheoryData<string, string, string[]> Cases => new()
    {
        { ">&-", "it is closed", ["status"] },
        { ">&-", "it is closed", ["status", "--json"] },
        { ">&-", "it is closed", ["--help"] },
        { "> /dev/full", "No space left on device", ["runs", "job", "--limit", "3"] },
        { "> /dev/full", "No space left on device", ["db", "info"] },
        { "> /dev/full", "No space left on device", ["spool", "list", "--json"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_command_whose_output_cannot_be_written_says_so_once_and_exits_3(string redirection, string problem, string[] args)
    {
        var result = store.Sandbox.RunRedirected(redirection, args);

        Assert.True(Sandbox.Status(result) == 3, result.ToString());
        var line = Assert.Single(Sandbox.ErrorLines(result));
        Assert.Equal($"scriptmon: error: the output could not be written to standard output: {problem}.", line);
    }

    [Theory]
    [InlineData(">&-")]
    [InlineData("> /dev/full")]
    public void The_check_whose_output_cannot_be_written_is_unknown_not_ok(string redirection)
    {
        var result = store.Sandbox.RunRedirected(redirection, "check", "job");

        Assert.True(Sandbox.Status(result) == 3, result.ToString());
        Assert.Single(Sandbox.ErrorLines(result));
    }

    [Fact]
    public void A_reader_that_goes_away_ends_the_command_quietly_with_the_status_of_a_closed_pipe()
    {
        // Far more than a pipe holds, so scriptmon is still writing when head has gone.
        var result = store.Sandbox.RunShell("{ \"$@\"; echo exit=$? >&2; } | head -1", "runs", "job", "--limit", Store.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(Sandbox.Status(result) == 141, result.ToString());
        Assert.Empty(Sandbox.ErrorLines(result));
        Assert.StartsWith("STARTED", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_that_writes_nothing_to_a_closed_output_succeeds()
    {
        var result = store.Sandbox.RunRedirected(">&-", "expect", "job", "--show");

        Assert.True(Sandbox.Status(result) == 1, result.ToString());
        Assert.Equal(["scriptmon: job has no expectation (see 'scriptmon expect NAME --learn' for what its runs suggest)."], Sandbox.ErrorLines(result));
    }

    /// <summary>A store with one script of many runs, shared by the tests: none of them writes to it.</summary>
    public sealed class Store : IDisposable
    {
        /// <summary>Lines of output well past the 64 KB a Linux pipe buffers.</summary>
        public const int Runs = 3_000;

        public Store()
        {
            var started = DateTimeOffset.UtcNow.AddDays(-30);
            using var runs = SqliteScriptRunStore.Open(Sandbox.Database, new SqliteStoreOptions { FlushEveryCommit = false });
            for (var i = 0; i < Runs; i++)
            {
                var start = started.AddMinutes(i);
                runs.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "job", "web1", start, start.AddSeconds(1), RunOutcome.Succeeded, 0, null)).GetAwaiter().GetResult();
            }
        }

        public Sandbox Sandbox { get; } = new();

        public void Dispose() => Sandbox.Dispose();
    }
}
