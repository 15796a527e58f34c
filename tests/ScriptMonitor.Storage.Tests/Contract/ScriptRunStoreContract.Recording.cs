using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>Recording runs: successes, failures, starts and completions, time zones and precision.</summary>
public abstract partial class ScriptRunStoreContract
{
    [Fact]
    public async Task A_run_recorded_without_an_id_gets_a_version_7_id_of_the_instant_it_was_made()
    {
        // Ids in the order they are made keep the store's index of ids growing at its end.
        var first = await Store.RecordFailureAsync("backup", Utc(2026, 3, 1, 2, 0), Utc(2026, 3, 1, 2, 30), exitCode: 1);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 1, 0));

        Assert.Equal(7, first.RunId.Version);
        Assert.Equal(7, second.RunId.Version);
        Assert.True(first.RunId.CompareTo(second.RunId) < 0, $"{first.RunId} was made before {second.RunId}");
        Assert.Equal(first, await Store.GetRunAsync(first.RunId));
    }

    [Fact]
    public async Task GetLastActivity_returns_the_latest_start_across_all_hosts()
    {
        await Store.RecordSuccessAsync("backup", Utc(2026, 3, 1, 2, 0), Utc(2026, 3, 1, 2, 30), "db1");
        await Store.RecordSuccessAsync("backup", Utc(2026, 3, 1, 3, 0), Utc(2026, 3, 1, 3, 5), "db2");
        // Recorded last and completed last, but started earliest: not the last activity.
        await Store.RecordSuccessAsync("backup", Utc(2026, 3, 1, 1, 0), Utc(2026, 3, 1, 4, 0), "db3");

        var last = await Store.GetLastActivityAsync("backup");

        Assert.Equal(new ScriptActivity("backup", "db2", Utc(2026, 3, 1, 3, 0), Utc(2026, 3, 1, 3, 5)), last);
    }

    [Fact]
    public async Task GetLastActivity_never_returns_a_failed_or_running_run()
    {
        await Store.RecordSuccessAsync("import", Utc(2026, 3, 1, 1, 0), Utc(2026, 3, 1, 1, 1));
        await Store.RecordFailureAsync("import", Utc(2026, 3, 1, 2, 0), Utc(2026, 3, 1, 2, 1), exitCode: 3, message: "disk full");
        await Store.RecordStartAsync("import", Utc(2026, 3, 1, 3, 0));

        var last = await Store.GetLastActivityAsync("import");

        Assert.Equal(Utc(2026, 3, 1, 1, 0), last?.DateStarted);
    }

    [Fact]
    public async Task GetLastActivity_is_null_when_a_script_only_ever_failed()
    {
        await Store.RecordFailureAsync("import", Utc(2026, 3, 1, 2, 0), Utc(2026, 3, 1, 2, 1), exitCode: 1);

        Assert.Null(await Store.GetLastActivityAsync("import"));
    }

    [Fact]
    public async Task Names_are_exact_and_case_sensitive()
    {
        await Store.RecordSuccessAsync("Backup", Utc(2026, 3, 1, 1, 0), Utc(2026, 3, 1, 1, 1));

        Assert.Null(await Store.GetLastActivityAsync("backup"));
        Assert.Null(await Store.GetLastActivityAsync("Backup%"));
        Assert.NotNull(await Store.GetLastActivityAsync("Backup"));
    }

    [Fact]
    public async Task Offsets_other_than_UTC_are_converted_to_the_same_instant_in_UTC()
    {
        var started = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));
        var completed = new DateTimeOffset(2026, 3, 1, 5, 30, 0, TimeSpan.FromHours(-5.5));

        var recorded = await Store.RecordSuccessAsync("tz", started, completed);
        var read = await Store.GetLastActivityAsync("tz");

        Assert.Equal(TimeSpan.Zero, recorded.DateStarted.Offset);
        Assert.Equal(Utc(2026, 3, 1, 10, 0), recorded.DateStarted);
        Assert.Equal(Utc(2026, 3, 1, 11, 0), recorded.DateCompleted);
        Assert.Equal(recorded, read);
        Assert.Equal(TimeSpan.Zero, read!.DateStarted.Offset);
        Assert.Equal("2026-03-01 10:00:00+00:00", Timestamps.Format(read.DateStarted));
    }

    [Fact]
    public async Task Timestamps_round_trip_exactly_to_the_microsecond()
    {
        var started = Utc(2026, 3, 1, 10, 0) + TimeSpan.FromMicroseconds(123_457);
        var completed = started + TimeSpan.FromMicroseconds(987_654_321);

        await Store.RecordSuccessAsync("precise", started, completed);
        await using var other = await ReopenStoreAsync();
        var read = await other.GetLastActivityAsync("precise");

        Assert.Equal(started.UtcTicks, read!.DateStarted.UtcTicks);
        Assert.Equal(completed.UtcTicks, read.DateCompleted.UtcTicks);
        Assert.Equal("2026-03-01 10:00:00.123457+00:00", Timestamps.Format(read.DateStarted));
    }

    [Fact]
    public async Task What_is_finer_than_a_microsecond_is_dropped_and_the_returned_activity_says_so()
    {
        var started = Utc(2026, 3, 1, 10, 0).AddTicks(15);

        var recorded = await Store.RecordSuccessAsync("ticks", started, started);

        Assert.Equal(Utc(2026, 3, 1, 10, 0).AddTicks(10), recorded.DateStarted);
        Assert.Equal(recorded, await Store.GetLastActivityAsync("ticks"));
    }

    [Fact]
    public async Task A_started_run_is_completed_by_its_id()
    {
        var started = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0), "web1");

        Assert.Equal(RunOutcome.Running, started.Outcome);
        Assert.Null(started.CompletedAt);
        Assert.Null(await Store.GetLastActivityAsync("report"));

        var done = await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 10, 7), RunOutcome.Succeeded, exitCode: 0, output: "ok\n");

        Assert.Equal(started.RunId, done.RunId);
        Assert.Equal(TimeSpan.FromMinutes(7), done.Duration);
        Assert.Equal(new ScriptActivity("report", "web1", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 7)), await Store.GetLastActivityAsync("report"));
        var stored = Assert.Single(await Store.ListRunsAsync(new RunQuery("report")));
        Assert.Equal(done, stored);
    }

    [Fact]
    public async Task A_started_run_given_its_own_id_keeps_it()
    {
        var runId = Guid.NewGuid();

        var started = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0), runId: runId);

        Assert.Equal(runId, started.RunId);
    }

    [Fact]
    public async Task Starting_a_second_run_with_a_taken_id_is_refused_and_the_first_is_kept()
    {
        var first = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0), "web1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RecordStartAsync("other", Utc(2026, 3, 1, 11, 0), "web2", first.RunId));

        Assert.Equal(first, Assert.Single(await Store.ListRunsAsync(new RunQuery("report"))));
        Assert.Empty(await Store.ListRunsAsync(new RunQuery("other")));
        Assert.Equal(["report"], (await Store.ListScriptsAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task A_failed_completion_keeps_exit_code_and_message()
    {
        var started = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0));

        await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 10, 1), RunOutcome.Failed, exitCode: 137, output: "killed by signal 9 (SIGKILL)");

        var stored = Assert.Single(await Store.ListRunsAsync(new RunQuery("report")));
        Assert.Equal(RunOutcome.Failed, stored.Outcome);
        Assert.Equal(137, stored.ExitCode);
        Assert.Equal("killed by signal 9 (SIGKILL)", stored.Output);
    }

    [Fact]
    public async Task Completing_an_unknown_run_throws_KeyNotFoundException()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.CompleteRunAsync(Guid.NewGuid(), Utc(2026, 3, 1, 10, 1), RunOutcome.Succeeded));
    }

    [Fact]
    public async Task Completing_a_run_twice_throws_and_keeps_the_first_completion()
    {
        var started = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0));
        await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 10, 1), RunOutcome.Succeeded);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 10, 2), RunOutcome.Failed));

        var stored = Assert.Single(await Store.ListRunsAsync(new RunQuery("report")));
        Assert.Equal(RunOutcome.Succeeded, stored.Outcome);
        Assert.Equal(Utc(2026, 3, 1, 10, 1), stored.CompletedAt);
    }

    [Fact]
    public async Task Completing_before_the_start_is_refused_and_the_run_stays_running()
    {
        var started = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0));

        var error = await Assert.ThrowsAsync<ValidationException>(() => Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 9, 59), RunOutcome.Succeeded));

        Assert.Equal("completedAt", error.ParamName);
        Assert.Equal(FieldRules.NotBeforeStart, error.Errors.Single().Rule);
        Assert.Equal(RunOutcome.Running, Assert.Single(await Store.ListRunsAsync(new RunQuery("report"))).Outcome);
    }

    [Fact]
    public async Task Completing_with_outcome_running_is_refused()
    {
        var started = await Store.RecordStartAsync("report", Utc(2026, 3, 1, 10, 0));

        var error = await Assert.ThrowsAsync<ValidationException>(() => Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 10, 1), RunOutcome.Running));

        Assert.Equal("outcome", error.ParamName);
        Assert.Equal(FieldRules.Outcome, error.Errors.Single().Rule);
    }

    [Fact]
    public async Task Output_keeps_only_its_last_characters_and_replaces_NUL()
    {
        var head = new string('h', 5000);
        var tail = new string('t', ScriptRun.MaxOutputLength - 1) + "\0";

        var run = await Store.RecordFailureAsync("noisy", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1), exitCode: 1, message: head + tail);

        var stored = Assert.Single(await Store.ListRunsAsync(new RunQuery("noisy")));
        Assert.Equal(ScriptRun.MaxOutputLength, stored.Output!.Length);
        Assert.Equal(new string('t', ScriptRun.MaxOutputLength - 1) + "\uFFFD", stored.Output);
        Assert.Equal(run, stored);
    }

    [Fact]
    public async Task Names_and_hosts_of_255_characters_and_any_script_are_accepted()
    {
        var name = new string('n', 255);
        var host = "ħøst-" + new string('h', 250);

        await Store.RecordSuccessAsync(name, Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 0), host);

        Assert.Equal(host, (await Store.GetLastActivityAsync(name))!.Hostname);
        await Store.RecordSuccessAsync("名前 with spaces ✓", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 0));
        Assert.NotNull(await Store.GetLastActivityAsync("名前 with spaces ✓"));
    }

    [Fact]
    public async Task Output_with_a_broken_surrogate_pair_is_kept_with_a_replacement_character()
    {
        var run = await Store.RecordFailureAsync("binary", Utc(2026, 3, 1, 10, 0), Utc(2026, 3, 1, 10, 1), exitCode: 1, message: "before\uD800after\uDC00end");

        var stored = Assert.Single(await Store.ListRunsAsync(new RunQuery("binary")));
        Assert.Equal("before\uFFFDafter\uFFFDend", stored.Output);
        Assert.Equal(run, stored);
    }
}
