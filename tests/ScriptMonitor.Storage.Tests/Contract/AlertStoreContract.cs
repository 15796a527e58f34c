using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// What the alert loop keeps in a store, written once: the change feed, the lease, flips and their outbox, delivery,
/// channels and maintenance windows. A store's test class derives from this and says how to open a fresh store of its
/// kind and how to let a lease lapse by that store's clock.
/// </summary>
public abstract partial class AlertStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private IScriptRunStore? _store;

    protected FakeTimeProvider Clock { get; } = new(Now);

    protected IScriptRunStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    /// <summary>Opens a new, empty store that uses <see cref="Clock"/>.</summary>
    protected abstract Task<IScriptRunStore> OpenEmptyStoreAsync();

    /// <summary>Waits, or moves the store's clock, until <paramref name="lease"/> has lapsed.</summary>
    protected abstract Task LapseAsync(LeaderLease lease);

    public async Task InitializeAsync() => _store = await OpenEmptyStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_feed_holds_one_entry_per_script_at_its_newest_change_oldest_first()
    {
        await Store.RecordSuccessAsync("alpha", Now.AddMinutes(-3), Now.AddMinutes(-2), "db1");
        await Store.RecordSuccessAsync("beta", Now.AddMinutes(-3), Now.AddMinutes(-2), "db1");
        await Store.RecordSuccessAsync("alpha", Now.AddMinutes(-1), Now, "db1");

        var changes = await Store.ReadChangesAsync(0, 100);

        Assert.Equal(["beta", "alpha"], changes.Select(c => c.ScriptName));
        Assert.True(changes[0].Sequence < changes[1].Sequence);
        Assert.Empty(await Store.ReadChangesAsync(changes[1].Sequence, 100));
        Assert.Equal(["alpha"], (await Store.ReadChangesAsync(changes[0].Sequence, 100)).Select(c => c.ScriptName));
    }

    [Fact]
    public async Task The_feed_pages_by_its_limit_without_losing_a_script()
    {
        var names = Enumerable.Range(0, 7).Select(i => $"script-{i}").ToArray();
        await Store.ImportRunsAsync([.. names.Select(n => new RunDelivery(Completed(n, Now.AddMinutes(-5))))]);

        var seen = new List<string>();
        long cursor = 0;
        while (await Store.ReadChangesAsync(cursor, 3) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 3);
            seen.AddRange(page.Select(c => c.ScriptName));
            cursor = page[^1].Sequence;
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_of_many_runs_of_few_scripts_moves_each_script_once_with_numbers_of_its_own()
    {
        var before = await HeadAsync();
        var runs = new[] { "alpha", "beta", "alpha", "alpha", "beta" }.Select((n, i) => new RunDelivery(Completed(n, Now.AddMinutes(-10 + i)))).ToArray();

        await Store.ImportRunsAsync(runs);

        var changes = await Store.ReadChangesAsync(before, 100);
        Assert.Equal(["alpha", "beta"], changes.Select(c => c.ScriptName).Order(StringComparer.Ordinal));
        Assert.Equal(2, changes.Select(c => c.Sequence).Distinct().Count());
    }

    public static TheoryData<string> WritePaths => new()
    {
        "record success",
        "record success (blocking)",
        "record failure",
        "record start",
        "complete run",
        "import one run",
        "import a batch",
        "complete by import",
        "abandon run",
        "record skip",
        "set expectation",
        "remove expectation",
        "maintenance window for the script",
        "maintenance window for its tag",
        "remove maintenance window",
    };

    [Theory]
    [MemberData(nameof(WritePaths))]
    public async Task Every_write_of_a_scripts_runs_skips_expectation_or_window_moves_it_to_the_head_of_the_feed(string path)
    {
        // Another script changes last before each write, so that the script under test must move past it.
        var running = await Store.RecordStartAsync("nightly", Now.AddMinutes(-30), "db1");
        await Store.SetExpectationAsync(new ScriptExpectation("nightly") { Tags = ["db"] });
        await Store.SaveMaintenanceWindowAsync(new MaintenanceWindow("patching") { ScriptName = "nightly", StartsAt = Now.AddDays(1), Duration = TimeSpan.FromHours(1) });
        await Store.RecordSuccessAsync("other", Now.AddMinutes(-2), Now.AddMinutes(-1), "db1");
        var before = await HeadAsync();

        Func<Task> write = path switch
        {
            "record success" => () => Store.RecordSuccessAsync("nightly", Now.AddMinutes(-2), Now, "db1"),
            "record success (blocking)" => () => Task.FromResult(Store.RecordSuccess("nightly", Now.AddMinutes(-2), Now, "db1")),
            "record failure" => () => Store.RecordFailureAsync("nightly", Now.AddMinutes(-2), Now, 1, "boom", "db1"),
            "record start" => () => Store.RecordStartAsync("nightly", Now, "db2"),
            "complete run" => () => Store.CompleteRunAsync(running.RunId, Now, RunOutcome.Succeeded, 0),
            "import one run" => () => Store.ImportRunAsync(Completed("nightly", Now.AddMinutes(-5))),
            "import a batch" => () => Store.ImportRunsAsync([new RunDelivery(Completed("nightly", Now.AddMinutes(-5)), Now, RunDeliveryKind.Spool)]),
            "complete by import" => () => Store.ImportRunAsync(running with { CompletedAt = Now, Outcome = RunOutcome.Succeeded, ExitCode = 0 }),
            "abandon run" => () => Store.AbandonRunAsync(running.RunId, Now, "the process is gone"),
            "record skip" => () => Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "nightly", "db1", Now, "pid 42")),
            "set expectation" => () => Store.SetExpectationAsync(new ScriptExpectation("nightly") { Grace = TimeSpan.FromMinutes(17), Tags = ["db"] }),
            "remove expectation" => () => Store.RemoveExpectationAsync("nightly"),
            "maintenance window for the script" => () => Store.SaveMaintenanceWindowAsync(new MaintenanceWindow("reboot") { ScriptName = "nightly", Cron = "0 3 * * 0", Duration = TimeSpan.FromHours(1) }),
            "maintenance window for its tag" => () => Store.SaveMaintenanceWindowAsync(new MaintenanceWindow("db-upgrade") { Tag = "db", StartsAt = Now, Duration = TimeSpan.FromHours(2) }),
            "remove maintenance window" => () => Store.RemoveMaintenanceWindowAsync("patching"),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
        };
        await write();

        var changes = await Store.ReadChangesAsync(before, 100);
        Assert.Equal("nightly", Assert.Single(changes).ScriptName);
    }

    [Fact]
    public async Task A_write_that_changes_nothing_leaves_the_feed_as_it_is()
    {
        var expectation = new ScriptExpectation("nightly") { Grace = TimeSpan.FromMinutes(5) };
        await Store.SetExpectationAsync(expectation);
        var skip = new ScriptSkip(Guid.NewGuid(), "nightly", "db1", Now, "pid 42");
        await Store.RecordSkipAsync(skip);
        var run = Completed("nightly", Now.AddMinutes(-5));
        await Store.ImportRunAsync(run);
        var before = await HeadAsync();

        Assert.False(await Store.SetExpectationAsync(expectation));
        Assert.False(await Store.RecordSkipAsync(skip));
        Assert.False(await Store.ImportRunAsync(run));
        Assert.False(await Store.RemoveMaintenanceWindowAsync("none"));

        Assert.Empty(await Store.ReadChangesAsync(before, 100));
    }

    [Fact]
    public async Task A_script_with_only_an_expectation_is_in_the_feed_but_not_among_the_scripts_with_runs()
    {
        await Store.SetExpectationAsync(new ScriptExpectation("planned") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });

        Assert.Equal("planned", Assert.Single(await Store.ReadChangesAsync(0, 100)).ScriptName);
        Assert.Empty(await Store.ListScriptsAsync());
    }

    [Fact]
    public async Task A_flip_and_its_notifications_are_recorded_together_and_read_back_whole()
    {
        var lease = await TakeAsync("server-a");
        var flip = Flip("nightly", HealthState.Up, HealthState.Late);
        Notification[] notifications = [Note("nightly", "ops-mail"), Note("nightly", "ops-hook")];

        var recorded = await Store.RecordFlipAsync(flip, notifications, lease);

        Assert.True(recorded.Id > 0);
        var listed = Assert.Single(await Store.ListFlipsAsync("nightly"));
        Assert.Equal(flip with { Id = recorded.Id }, listed);
        Assert.Equal(flip.Reason.Facts, listed.Reason.Facts);
        var outbox = await Store.ListNotificationsAsync();
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, n =>
        {
            Assert.Equal(recorded.Id, n.FlipId);
            Assert.Equal(NotificationStatus.Pending, n.Status);
            Assert.Equal(0, n.Attempts);
            Assert.Equal(n.CreatedAt, n.NextAttemptAt);
        });
        var mail = outbox.Single(n => n.ChannelName == "ops-mail");
        Assert.Equal(notifications[0].EventId, mail.EventId);
        Assert.Equal(notifications[0].Payload, mail.Payload);
        Assert.Equal(NotificationKind.Down, mail.Kind);
    }

    [Fact]
    public async Task A_first_flip_without_a_state_before_and_a_quiet_one_keep_both()
    {
        var lease = await TakeAsync("server-a");
        var first = Flip("nightly", null, HealthState.Up) with { Quiet = true };

        await Store.RecordFlipAsync(first, [], lease);

        var listed = Assert.Single(await Store.ListFlipsAsync());
        Assert.Null(listed.From);
        Assert.True(listed.Quiet);
        Assert.Equal(HealthFacts.None, listed.Reason.Facts);
    }

    [Fact]
    public async Task A_write_under_a_lease_that_changed_hands_is_refused_and_writes_nothing()
    {
        var stale = await TakeAsync("server-a");
        await Store.ReleaseLeaseAsync(stale);
        var current = await TakeAsync("server-b");
        var note = Note("nightly", "ops");

        await Assert.ThrowsAsync<LeaseLostException>(() => Store.RecordFlipAsync(Flip("nightly", HealthState.Up, HealthState.Late), [note], stale));
        await Assert.ThrowsAsync<LeaseLostException>(() => Store.EnqueueNotificationsAsync([note], stale));
        await Assert.ThrowsAsync<LeaseLostException>(() => Store.ClaimDueNotificationsAsync(stale, Now, 10));

        Assert.Empty(await Store.ListFlipsAsync());
        Assert.Empty(await Store.ListNotificationsAsync());

        await Store.EnqueueNotificationsAsync([note], current);
        await Assert.ThrowsAsync<LeaseLostException>(() => Store.RecordDeliveryAsync(new DeliveryOutcome(note.EventId, Now, true, null), stale));
        var pending = Assert.Single(await Store.ListNotificationsAsync());
        Assert.Equal(NotificationStatus.Pending, pending.Status);
        Assert.Empty(await Store.ListDeliveryAttemptsAsync(note.EventId));
    }

    [Fact]
    public async Task The_lease_is_taken_renewed_refused_to_others_released_and_handed_over_with_a_growing_token()
    {
        Assert.Null(await Store.GetLeaseAsync());

        var first = await TakeAsync("server-a", TimeSpan.FromSeconds(10));
        Assert.Equal(new LeaderLease("server-a", 1, first.ExpiresAt), first);
        Assert.Null(await Store.TryTakeLeaseAsync("server-b", TimeSpan.FromSeconds(10)));

        var renewed = await TakeAsync("server-a", TimeSpan.FromSeconds(60));
        Assert.Equal(1, renewed.Token);
        Assert.True(renewed.ExpiresAt > first.ExpiresAt);
        Assert.Equal(renewed, await Store.GetLeaseAsync());

        await Store.ReleaseLeaseAsync(renewed);
        var handedOver = await TakeAsync("server-b");
        Assert.Equal(2, handedOver.Token);

        // Releasing a lease one no longer holds does nothing.
        await Store.ReleaseLeaseAsync(renewed);
        Assert.Null(await Store.TryTakeLeaseAsync("server-a", TimeSpan.FromSeconds(10)));
        Assert.Equal(handedOver, await Store.GetLeaseAsync());
    }

    [Fact]
    public async Task A_lapsed_lease_goes_to_the_next_holder_with_the_next_token_and_the_old_holder_writes_nothing()
    {
        var lapsing = await TakeAsync("server-a", TimeSpan.FromSeconds(1));

        await LapseAsync(lapsing);
        await Assert.ThrowsAsync<LeaseLostException>(() => Store.EnqueueNotificationsAsync([Note("nightly", "ops")], lapsing));
        var next = await TakeAsync("server-b");

        Assert.Equal(2, next.Token);
        Assert.Empty(await Store.ListNotificationsAsync());
    }

    [Fact]
    public async Task Claiming_gives_the_due_pending_notifications_oldest_first_up_to_the_limit()
    {
        var lease = await TakeAsync("server-a");
        var later = Note("nightly", "ops", Now.AddMinutes(-1)) with { NextAttemptAt = Now.AddMinutes(5) };
        var oldest = Note("nightly", "ops", Now.AddMinutes(-3));
        var middle = Note("nightly", "ops", Now.AddMinutes(-2));
        var newest = Note("nightly", "ops", Now.AddMinutes(-1));
        await Store.EnqueueNotificationsAsync([later, newest, oldest, middle], lease);

        var due = await Store.ClaimDueNotificationsAsync(lease, Now, 2);
        var all = await Store.ClaimDueNotificationsAsync(lease, Now, 10);
        var afterRetry = await Store.ClaimDueNotificationsAsync(lease, Now.AddMinutes(5), 10);

        Assert.Equal([oldest.EventId, middle.EventId], due.Select(n => n.EventId));
        Assert.Equal([oldest.EventId, middle.EventId, newest.EventId], all.Select(n => n.EventId));
        Assert.Equal(4, afterRetry.Count);
    }

    [Fact]
    public async Task Recording_deliveries_moves_each_notification_to_delivered_pending_again_or_failed_and_keeps_every_attempt()
    {
        var lease = await TakeAsync("server-a");
        var delivered = Note("nightly", "ops");
        var retried = Note("nightly", "ops");
        var failed = Note("nightly", "ops");
        await Store.EnqueueNotificationsAsync([delivered, retried, failed], lease);

        await Store.RecordDeliveryAsync(new DeliveryOutcome(retried.EventId, Now, false, "HTTP 503") { RetryAt = Now.AddSeconds(5) }, lease);
        await Store.RecordDeliveryAsync(new DeliveryOutcome(delivered.EventId, Now, false, "timeout") { RetryAt = Now.AddSeconds(5) }, lease);
        await Store.RecordDeliveryAsync(new DeliveryOutcome(delivered.EventId, Now.AddSeconds(5), true, null), lease);
        await Store.RecordDeliveryAsync(new DeliveryOutcome(failed.EventId, Now, false, "gave up after 24 h"), lease);

        var byId = (await Store.ListNotificationsAsync()).ToDictionary(n => n.EventId);
        Assert.Equal(NotificationStatus.Delivered, byId[delivered.EventId].Status);
        Assert.Equal(2, byId[delivered.EventId].Attempts);
        Assert.Equal(Now.AddSeconds(5), byId[delivered.EventId].DeliveredAt);
        Assert.Null(byId[delivered.EventId].NextAttemptAt);
        Assert.Equal(NotificationStatus.Pending, byId[retried.EventId].Status);
        Assert.Equal(Now.AddSeconds(5), byId[retried.EventId].NextAttemptAt);
        Assert.Equal("HTTP 503", byId[retried.EventId].LastError);
        Assert.Equal(NotificationStatus.Failed, byId[failed.EventId].Status);
        Assert.Equal("gave up after 24 h", byId[failed.EventId].LastError);

        Assert.Equal([retried.EventId], (await Store.ClaimDueNotificationsAsync(lease, Now.AddSeconds(5), 10)).Select(n => n.EventId));
        Assert.Equal(
            [new DeliveryOutcome(delivered.EventId, Now, false, "timeout") { RetryAt = Now.AddSeconds(5) }, new DeliveryOutcome(delivered.EventId, Now.AddSeconds(5), true, null)],
            await Store.ListDeliveryAttemptsAsync(delivered.EventId));
        Assert.Equal(new OutboxDepth(1, retried.CreatedAt, 1), await Store.GetOutboxDepthAsync());
    }

    [Fact]
    public async Task A_channel_that_is_gone_is_marked_broken_and_its_notification_failed()
    {
        var lease = await TakeAsync("server-a");
        await Store.SaveChannelAsync(Channel("ops-hook"));
        var note = Note("nightly", "ops-hook");
        await Store.EnqueueNotificationsAsync([note], lease);

        await Store.RecordDeliveryAsync(new DeliveryOutcome(note.EventId, Now, false, "HTTP 410 Gone") { ChannelGone = true }, lease);

        var channel = Assert.Single(await Store.ListChannelsAsync());
        Assert.Equal(Now, channel.BrokenSince);
        Assert.Equal("HTTP 410 Gone", channel.BrokenReason);
        Assert.Equal(NotificationStatus.Failed, Assert.Single(await Store.ListNotificationsAsync()).Status);
        Assert.True(Assert.Single(await Store.ListDeliveryAttemptsAsync(note.EventId)).ChannelGone);

        await Store.SaveChannelAsync(Channel("ops-hook"), replace: true);
        Assert.Null(Assert.Single(await Store.ListChannelsAsync()).BrokenSince);
    }

    [Fact]
    public async Task Recording_a_delivery_of_an_unknown_notification_is_refused()
    {
        var lease = await TakeAsync("server-a");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.RecordDeliveryAsync(new DeliveryOutcome(Guid.NewGuid(), Now, true, null), lease));
    }

    [Fact]
    public async Task Notifications_and_flips_are_listed_newest_first_by_script_channel_instant_and_limit()
    {
        var lease = await TakeAsync("server-a");
        await Store.RecordFlipAsync(Flip("alpha", HealthState.Up, HealthState.Late, Now.AddMinutes(-3)), [Note("alpha", "mail", Now.AddMinutes(-3)), Note("alpha", "hook", Now.AddMinutes(-3))], lease);
        await Store.RecordFlipAsync(Flip("beta", HealthState.Up, HealthState.Failing, Now.AddMinutes(-2)), [Note("beta", "mail", Now.AddMinutes(-2))], lease);
        await Store.RecordFlipAsync(Flip("alpha", HealthState.Late, HealthState.Up, Now.AddMinutes(-1)), [Note("alpha", "mail", Now.AddMinutes(-1))], lease);

        Assert.Equal(4, (await Store.ListNotificationsAsync()).Count);
        Assert.Equal([Now.AddMinutes(-1), Now.AddMinutes(-3), Now.AddMinutes(-3)], (await Store.ListNotificationsAsync(scriptName: "alpha")).Select(n => n.CreatedAt));
        Assert.Equal(["beta", "alpha"], (await Store.ListNotificationsAsync(channelName: "mail", before: Now.AddMinutes(-1))).Select(n => n.ScriptName));
        Assert.Single(await Store.ListNotificationsAsync(limit: 1));

        Assert.Equal([HealthState.Up, HealthState.Failing, HealthState.Late], (await Store.ListFlipsAsync()).Select(f => f.To));
        Assert.Equal([HealthState.Up, HealthState.Late], (await Store.ListFlipsAsync("alpha")).Select(f => f.To));
        Assert.Equal([HealthState.Late], (await Store.ListFlipsAsync("alpha", before: Now.AddMinutes(-1))).Select(f => f.To));
        Assert.Equal([HealthState.Up], (await Store.ListFlipsAsync(limit: 1)).Select(f => f.To));
        Assert.Equal([("alpha", HealthState.Up), ("beta", HealthState.Failing)], (await Store.ReadLatestFlipsAsync()).Select(f => (f.ScriptName, f.To)));
    }

    [Fact]
    public async Task Channels_are_saved_refused_twice_replaced_listed_with_their_secrets_and_removed()
    {
        var channel = Channel("ops-mail") with { Kind = ChannelKind.Email, Tags = ["db", "backup"], ScriptNames = ["nightly"], RepeatEvery = TimeSpan.FromHours(4) };

        Assert.True(await Store.SaveChannelAsync(channel));
        Assert.False(await Store.SaveChannelAsync(channel with { Kind = ChannelKind.Webhook }));

        var stored = Assert.Single(await Store.ListChannelsAsync());
        Assert.Equal(ChannelKind.Email, stored.Kind);
        Assert.Equal(channel.Settings.OrderBy(p => p.Key, StringComparer.Ordinal), stored.Settings.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(channel.Secrets.OrderBy(p => p.Key, StringComparer.Ordinal), stored.Secrets.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(["backup", "db"], stored.Tags);
        Assert.Equal(["nightly"], stored.ScriptNames);
        Assert.Equal(TimeSpan.FromHours(4), stored.RepeatEvery);
        Assert.Equal(Now, stored.CreatedAt);

        Assert.True(await Store.SaveChannelAsync(channel with { Secrets = new Dictionary<string, string> { ["password"] = "n3w" } }, replace: true));
        Assert.Equal("n3w", Assert.Single(await Store.ListChannelsAsync()).Secrets["password"]);

        var lease = await TakeAsync("server-a");
        var note = Note("nightly", "ops-mail");
        await Store.EnqueueNotificationsAsync([note], lease);
        Assert.True(await Store.RemoveChannelAsync("ops-mail"));
        Assert.False(await Store.RemoveChannelAsync("ops-mail"));
        Assert.Empty(await Store.ListChannelsAsync());
        var failed = Assert.Single(await Store.ListNotificationsAsync());
        Assert.Equal(NotificationStatus.Failed, failed.Status);
        Assert.Contains("removed", failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maintenance_windows_are_saved_refused_twice_replaced_listed_by_name_and_removed()
    {
        var weekly = new MaintenanceWindow("weekly-reboot") { Tag = "db", Cron = "0 3 * * 0", Duration = TimeSpan.FromMinutes(90), TimeZone = "Europe/Berlin" };
        var once = new MaintenanceWindow("disk-swap") { ScriptName = "nightly", StartsAt = Now.AddHours(2), Duration = TimeSpan.FromHours(1), CreatedAt = Now.AddMinutes(-1) };
        var every = new MaintenanceWindow("hourly-sync") { ScriptName = "sync", StartsAt = Now, Every = TimeSpan.FromHours(1), Duration = TimeSpan.FromMinutes(5) };
        var pause = new MaintenanceWindow("paused") { Tag = "legacy", StartsAt = Now };

        foreach (var window in new[] { weekly, once, every, pause })
        {
            Assert.True(await Store.SaveMaintenanceWindowAsync(window));
        }

        Assert.False(await Store.SaveMaintenanceWindowAsync(once with { Duration = TimeSpan.FromHours(3) }));
        Assert.Equal(
            [once, every with { CreatedAt = Now }, pause with { CreatedAt = Now }, weekly with { CreatedAt = Now }],
            await Store.ListMaintenanceWindowsAsync());

        Assert.True(await Store.SaveMaintenanceWindowAsync(once with { Duration = TimeSpan.FromHours(3) }, replace: true));
        Assert.Equal(TimeSpan.FromHours(3), (await Store.ListMaintenanceWindowsAsync()).Single(w => w.Name == "disk-swap").Duration);
        Assert.True(await Store.RemoveMaintenanceWindowAsync("disk-swap"));
        Assert.False(await Store.RemoveMaintenanceWindowAsync("disk-swap"));
        Assert.Equal(["hourly-sync", "paused", "weekly-reboot"], (await Store.ListMaintenanceWindowsAsync()).Select(w => w.Name));
    }

    private static ScriptRun Completed(string name, DateTimeOffset startedAt) =>
        new(ScriptRun.NewId(startedAt), name, "db1", startedAt, startedAt.AddSeconds(30), RunOutcome.Succeeded, 0, null);

    private static StateFlip Flip(string script, HealthState? from, HealthState to, DateTimeOffset? at = null) =>
        new(0, script, at ?? Now, from, to, new HealthReason(to, "db1", $"{script} is {to}")
        {
            Facts = to == HealthState.Up ? HealthFacts.None : new HealthFacts
            {
                DueAt = Now.AddHours(-1).AddTicks(10),
                LastSuccessAt = Now.AddDays(-1),
                ObservedDuration = TimeSpan.FromMinutes(61),
                LimitDuration = TimeSpan.FromMinutes(30),
                ObservedCount = 3,
                ObservedCountIsLowerBound = true,
                LimitCount = 2,
                ExitCode = 7,
            },
        });

    private static Notification Note(string script, string channel, DateTimeOffset? createdAt = null) =>
        new(Guid.CreateVersion7(), channel, script, NotificationKind.Down, createdAt ?? Now, $$"""{"script":"{{script}}","channel":"{{channel}}"}""");

    private static AlertChannel Channel(string name) => new(name, ChannelKind.Webhook)
    {
        Settings = new Dictionary<string, string> { ["url"] = "https://hooks.example.com/x", ["method"] = "POST" },
        Secrets = new Dictionary<string, string> { ["password"] = "s3cret", ["header.Authorization"] = "Bearer abc" },
    };

    private async Task<LeaderLease> TakeAsync(string holder, TimeSpan? duration = null) =>
        await Store.TryTakeLeaseAsync(holder, duration ?? TimeSpan.FromMinutes(1)) ?? throw new InvalidOperationException($"{holder} did not get the lease.");

    private async Task<long> HeadAsync()
    {
        long head = 0;
        while (await Store.ReadChangesAsync(head, RunQuery.MaxLimit) is { Count: > 0 } page)
        {
            head = page[^1].Sequence;
        }

        return head;
    }
}
