using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>Every rule of the public edge: the error names the parameter and the rule, and nothing is written.</summary>
public abstract partial class ScriptRunStoreContract
{
    public static TheoryData<string, string, string> BadNames => new()
    {
        { "", "name", "1 to 255 characters" },
        { new string('x', 256), "name", "1 to 255 characters" },
        { "line\nbreak", "name", "control characters" },
        { "tab\there", "name", "control characters" },
        { "nul\0", "name", "control characters" },
        { "bell\u0007", "name", "control characters" },
        { "del\u007F", "name", "control characters" },
        { " leading", "name", "white space" },
        { "trailing ", "name", "white space" },
        { "\u00A0nbsp", "name", "white space" },
        { " ", "name", "white space" },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task A_bad_script_name_is_refused_naming_the_rule_and_nothing_is_written(string name, string parameter, string rule)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Store.RecordSuccess(name, Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1)));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task A_bad_host_name_is_refused_naming_the_rule_and_nothing_is_written(string host, string parameter, string rule)
    {
        _ = parameter;
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordSuccessAsync("script", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1), host));

        Assert.Equal("hostname", error.ParamName);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Names_and_hosts_with_half_a_surrogate_pair_are_refused()
    {
        // Not theory data: the test runner would replace the lone surrogates while passing the data along.
        foreach (var bad in new[] { "lone\uD800surrogate", "\uDC00", "end\uD83D" })
        {
            var name = Assert.ThrowsAny<ArgumentException>(() => Store.RecordSuccess(bad, Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1)));
            var host = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordFailureAsync("script", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1), hostname: bad));

            Assert.Equal("name", name.ParamName);
            Assert.Equal("hostname", host.ParamName);
            Assert.Contains("valid Unicode", name.Message, StringComparison.Ordinal);
        }

        await AssertNothingWrittenAsync();
        await Store.RecordSuccessAsync("emoji \uD83D\uDE00", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1), "host \uD83D\uDE00");
        Assert.Equal("host \uD83D\uDE00", (await Store.GetLastActivityAsync("emoji \uD83D\uDE00"))!.Hostname);
    }

    [Fact]
    public async Task A_null_script_name_is_refused()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Store.RecordSuccess(null!, Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1)));

        Assert.Equal("name", error.ParamName);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_completion_before_the_start_is_refused_and_nothing_is_written()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Store.RecordSuccess("script", Utc(2026, 3, 1, 10, 1), Utc(2026, 3, 1, 10, 0)));

        Assert.Equal("dateCompleted", error.ParamName);
        Assert.Contains("must not be before the start", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_reversed_failure_is_refused_and_nothing_is_written()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordFailureAsync("script", Utc(2026, 3, 1, 10, 1), Utc(2026, 3, 1, 10, 0)));

        Assert.Equal("completedAt", error.ParamName);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_start_more_than_a_day_ahead_of_the_clock_is_refused()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Store.RecordSuccess("script", Now.AddDays(1).AddSeconds(1), Now.AddDays(2)));

        Assert.Equal("dateStarted", error.ParamName);
        Assert.Contains("in the future", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();

        // Clock skew between hosts within the day is tolerated.
        Store.RecordSuccess("script", Now.AddHours(23), Now.AddHours(23));
        Assert.NotNull(Store.GetLastActivity("script"));
    }

    [Fact]
    public async Task A_start_before_1970_is_refused()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordStartAsync("script", new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero)));

        Assert.Equal("startedAt", error.ParamName);
        Assert.Contains("1970-01-01", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Far_future_dates_are_refused_in_every_form()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordStartAsync("script", DateTimeOffset.MaxValue));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RecordFailureAsync("script", Now, DateTimeOffset.MaxValue));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "script", "h", new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), null, RunOutcome.Running, null, null)));

        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_bad_name_in_a_query_is_refused()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Store.GetLastActivity("bad\nname"));
        Assert.Equal("name", error.ParamName);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListRunsAsync(new RunQuery("")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetRuntimeStatisticsAsync(" x", Now.AddDays(-1), Now));
    }

    [Theory]
    [InlineData(0, 0, "query.Limit")]
    [InlineData(RunQuery.MaxLimit + 1, 0, "query.Limit")]
    [InlineData(10, -1, "query.Offset")]
    public async Task A_bad_page_is_refused(int limit, int offset, string parameter)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListRunsAsync(new RunQuery("script") { Limit = limit, Offset = offset }));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public async Task A_reversed_window_is_refused()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ListRunsAsync(new RunQuery("script") { Since = Now, Until = Now.AddHours(-1) }));
        Assert.Equal("query.Until", error.ParamName);

        var statsError = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.GetRuntimeStatisticsAsync("script", Now, Now.AddHours(-1)));
        Assert.Equal("until", statsError.ParamName);
    }

    [Fact]
    public async Task An_import_whose_outcome_and_completion_disagree_is_refused()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "script", "h", Now, null, RunOutcome.Succeeded, 0, null)));

        Assert.Contains("run.CompletedAt", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    private async Task AssertNothingWrittenAsync()
    {
        Assert.Empty(await Store.ListScriptsAsync());
        Assert.Equal(0, (await Store.GetInfoAsync()).RunCount);
    }
}
