using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;
using ScriptMonitor.Tests.Support;

namespace ScriptMonitor.Tests.Scripts;

/// <summary>The base class in process, with its store, clock and settings injected.</summary>
public sealed class MonitoredScriptTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(T0);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_run_is_timed_by_the_injected_clock_from_after_the_lock_to_the_end_of_Main()
    {
        var script = new DelegateScript("timed", Options(), (_, _) =>
        {
            _time.Advance(TimeSpan.FromMinutes(7));
            return Task.CompletedTask;
        });

        var exitCode = await script.RunAsync([]);

        Assert.Equal(0, exitCode);
        await using var store = OpenStore();
        var activity = store.GetLastActivity("timed");
        Assert.NotNull(activity);
        Assert.Equal(T0, activity.DateStarted);
        Assert.Equal(T0.AddMinutes(7), activity.DateCompleted);
    }

    [Fact]
    public async Task Args_hold_the_positional_arguments_without_the_options()
    {
        IReadOnlyList<string>? seen = null;
        var script = new DelegateScript("args", Options(), (s, _) =>
        {
            seen = s.Arguments;
            return Task.CompletedTask;
        });

        Assert.Equal(0, await script.RunAsync(["-q", "first", "--log-file", _directory.File("a.log"), "second", "--", "-third"]));

        Assert.Equal(["first", "second", "-third"], seen);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_interrupts_Main_and_records_the_interruption()
    {
        using var cancellation = new CancellationTokenSource();
        var script = new DelegateScript("cancelled", Options(), async (_, token) =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
        });

        var exitCode = await script.RunAsync([], cancellation.Token);

        Assert.Equal(130, exitCode);
        await using var store = OpenStore();
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery("cancelled")));
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal("interrupted by cancellation", run.Output);
    }

    [Fact]
    public async Task A_store_that_throws_on_open_gets_the_run_spooled_and_the_script_still_succeeds()
    {
        var settings = Settings();
        var script = new DelegateScript("spooled", Options(settings, () => throw new InvalidOperationException("database is down")), (_, _) => Task.CompletedTask);

        Assert.Equal(0, await script.RunAsync([]));

        Assert.Single(Directory.GetFiles(settings.SpoolDirectory, "*.run.json"));
    }

    [Theory]
    [InlineData(" padded ")]
    [InlineData("right\u202Eto-left")]
    [InlineData("zero\u200Bwidth")]
    [InlineData("two\u2028lines")]
    public void A_script_name_that_breaks_the_rules_is_refused_at_construction(string name)
    {
        Assert.Throws<ValidationException>(() => new DelegateScript(name, Options(), (_, _) => Task.CompletedTask));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  ", "is empty")]
    [InlineData("Database=runs;Username=mon", "names no host")]
    public void A_store_setting_that_cannot_be_used_is_refused_at_construction_not_replaced_by_the_default(string database, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new DelegateScript("job", new MonitoredScriptOptions { Database = database }, (_, _) => Task.CompletedTask));

        Assert.StartsWith("options.Database: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_that_overrides_neither_Main_says_so_and_fails()
    {
        Assert.Equal(1, await new EmptyScript(Options()).RunAsync([]));

        await using var store = OpenStore();
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery("empty")));
        Assert.Contains("must override Main or MainAsync", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    [InlineData(-1)]
    public void A_script_failure_refuses_an_exit_status_outside_1_to_255(int exitStatus)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScriptFailureException("message", exitStatus));
    }

    private ScriptSettings Settings() => new(_directory.File("locks"), _directory.File("spool"), _directory.File("cron-control.ini"));

    private MonitoredScriptOptions Options(ScriptSettings? settings = null, Func<IScriptRunStore>? openStore = null) => new()
    {
        Settings = settings ?? Settings(),
        TimeProvider = _time,
        OpenStore = openStore ?? OpenStore,
    };

    private SqliteScriptRunStore OpenStore() =>
        SqliteScriptRunStore.Open(_directory.File("runs.db"), new SqliteStoreOptions { TimeProvider = _time });

    private sealed class DelegateScript(string name, MonitoredScriptOptions options, Func<DelegateScript, CancellationToken, Task> main)
        : MonitoredScript(name, options)
    {
        public IReadOnlyList<string> Arguments => Args;

        protected override Task MainAsync(CancellationToken cancellationToken) => main(this, cancellationToken);
    }

    private sealed class EmptyScript(MonitoredScriptOptions options) : MonitoredScript("empty", options);
}
