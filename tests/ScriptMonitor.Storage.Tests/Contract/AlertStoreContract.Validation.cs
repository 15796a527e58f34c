using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>Every rule of the alert calls' edge: the error names the field and the rule, and nothing is written.</summary>
public abstract partial class AlertStoreContract
{
    [Fact]
    public async Task Bad_feed_lease_and_list_arguments_are_refused_naming_the_field()
    {
        await AssertRefusedAsync(() => Store.ReadChangesAsync(0, 0), "limit", FieldRules.Range);
        await AssertRefusedAsync(() => Store.ReadChangesAsync(-1, 10), "afterSequence", FieldRules.Range);
        await AssertRefusedAsync(() => Store.TryTakeLeaseAsync("server-a", TimeSpan.FromMilliseconds(500)), "duration", FieldRules.Range);
        await AssertRefusedAsync(() => Store.TryTakeLeaseAsync("server-a", TimeSpan.FromHours(2)), "duration", FieldRules.Range);
        await AssertRefusedAsync(() => Store.TryTakeLeaseAsync(" server-a", TimeSpan.FromSeconds(10)), "holder", FieldRules.SurroundingWhiteSpace);
        await AssertRefusedAsync(() => Store.ListFlipsAsync("bad\nname"), "scriptName", FieldRules.ControlCharacters);
        await AssertRefusedAsync(() => Store.ListFlipsAsync(limit: RunQuery.MaxLimit + 1), "limit", FieldRules.Range);
        await AssertRefusedAsync(() => Store.ListNotificationsAsync(channelName: ""), "channelName", FieldRules.Length);
        await AssertRefusedAsync(() => Store.RemoveChannelAsync(""), "name", FieldRules.Length);
        await AssertRefusedAsync(() => Store.RemoveMaintenanceWindowAsync("tab\there"), "name", FieldRules.ControlCharacters);
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.ReleaseLeaseAsync(null!));

        Assert.Null(await Store.GetLeaseAsync());
    }

    [Fact]
    public async Task Bad_flips_and_notifications_are_refused_naming_the_field_and_nothing_is_written()
    {
        var lease = await TakeAsync("server-a");
        var flip = Flip("nightly", HealthState.Up, HealthState.Late);

        await AssertRefusedAsync(() => Store.RecordFlipAsync(flip with { ScriptName = "" }, [], lease), "flip.ScriptName", FieldRules.Length);
        await AssertRefusedAsync(() => Store.RecordFlipAsync(flip with { To = (HealthState)99 }, [], lease), "flip.To", FieldRules.Choice);
        await AssertRefusedAsync(() => Store.RecordFlipAsync(flip with { At = Now.AddDays(3) }, [], lease), "flip.At", FieldRules.NotInFuture);
        await AssertRefusedAsync(() => Store.RecordFlipAsync(flip, [Note("nightly", "ops") with { EventId = Guid.Empty }], lease), "notifications[0].EventId", FieldRules.Required);
        await AssertRefusedAsync(() => Store.RecordFlipAsync(flip, [Note("nightly", "ops"), Note("other", "ops")], lease), "notifications[1].ScriptName", FieldRules.MatchesFlip);
        await AssertRefusedAsync(() => Store.RecordFlipAsync(flip, [Note("nightly", " ops")], lease), "notifications[0].ChannelName", FieldRules.SurroundingWhiteSpace);
        var twice = Note("nightly", "ops");
        await AssertRefusedAsync(() => Store.EnqueueNotificationsAsync([twice, twice], lease), "notifications[1].EventId", FieldRules.Duplicate);
        await AssertRefusedAsync(() => Store.EnqueueNotificationsAsync([Note("nightly", "ops") with { Kind = (NotificationKind)42 }], lease), "notifications[0].Kind", FieldRules.Choice);
        await AssertRefusedAsync(() => Store.ClaimDueNotificationsAsync(lease, Now, 0), "limit", FieldRules.Range);
        await AssertRefusedAsync(() => Store.ClaimDueNotificationsAsync(lease with { Token = 0 }, Now, 10), "lease.Token", FieldRules.Range);

        Assert.Empty(await Store.ListFlipsAsync());
        Assert.Empty(await Store.ListNotificationsAsync());
    }

    [Fact]
    public async Task A_notification_whose_event_id_is_taken_is_refused_with_its_whole_transaction()
    {
        var lease = await TakeAsync("server-a");
        var sent = Note("nightly", "ops");
        await Store.EnqueueNotificationsAsync([sent], lease);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RecordFlipAsync(Flip("nightly", HealthState.Up, HealthState.Late), [Note("nightly", "mail"), sent], lease));

        Assert.Empty(await Store.ListFlipsAsync());
        Assert.Equal([sent.EventId], (await Store.ListNotificationsAsync()).Select(n => n.EventId));
    }

    [Fact]
    public async Task Bad_delivery_outcomes_are_refused_naming_the_field()
    {
        var lease = await TakeAsync("server-a");
        var id = Guid.NewGuid();

        await AssertRefusedAsync(() => Store.RecordDeliveryAsync(new DeliveryOutcome(id, Now, false, null), lease), "outcome.Error", FieldRules.Required);
        await AssertRefusedAsync(() => Store.RecordDeliveryAsync(new DeliveryOutcome(id, Now, true, "but also failed"), lease), "outcome.Error", FieldRules.MatchesOutcome);
        await AssertRefusedAsync(() => Store.RecordDeliveryAsync(new DeliveryOutcome(id, Now, false, "503") { RetryAt = Now.AddSeconds(-1) }, lease), "outcome.RetryAt", FieldRules.NotBeforeStart);
        await AssertRefusedAsync(() => Store.RecordDeliveryAsync(new DeliveryOutcome(id, Now, false, "410") { RetryAt = Now.AddSeconds(5), ChannelGone = true }, lease), "outcome.RetryAt", FieldRules.MatchesOutcome);
        await AssertRefusedAsync(() => Store.RecordDeliveryAsync(new DeliveryOutcome(Guid.Empty, Now, true, null), lease), "outcome.EventId", FieldRules.Required);
    }

    [Fact]
    public async Task Bad_channels_are_refused_naming_the_field_and_nothing_is_saved()
    {
        var channel = Channel("ops-hook");

        await AssertRefusedAsync(() => Store.SaveChannelAsync(channel with { Name = "" }), "channel.Name", FieldRules.Length);
        await AssertRefusedAsync(() => Store.SaveChannelAsync(channel with { Kind = (ChannelKind)9 }), "channel.Kind", FieldRules.Choice);
        await AssertRefusedAsync(() => Store.SaveChannelAsync(channel with { Tags = ["db", "db"] }), "channel.Tags", FieldRules.Duplicate);
        await AssertRefusedAsync(() => Store.SaveChannelAsync(channel with { ScriptNames = ["fine", "bad\u0007"] }), "channel.ScriptNames[1]", FieldRules.ControlCharacters);
        await AssertRefusedAsync(() => Store.SaveChannelAsync(channel with { RepeatEvery = TimeSpan.FromSeconds(5) }), "channel.RepeatEvery", FieldRules.Range);

        Assert.Empty(await Store.ListChannelsAsync());
    }

    [Fact]
    public async Task Bad_maintenance_windows_are_refused_naming_the_field_and_nothing_is_saved()
    {
        var window = new MaintenanceWindow("patching") { ScriptName = "nightly", StartsAt = Now, Duration = TimeSpan.FromHours(1) };

        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { Name = " patching" }), "window.Name", FieldRules.SurroundingWhiteSpace);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { Tag = "db" }), "window.ScriptName", FieldRules.OneOf);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { ScriptName = null }), "window.ScriptName", FieldRules.OneOf);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { Cron = "0 3 * * 0" }), "window.StartsAt", FieldRules.OneOf);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { StartsAt = null, Cron = "not cron" }), "window.Cron", FieldRules.CronExpression);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { TimeZone = "Mars/Olympus" }), "window.TimeZone", FieldRules.TimeZone);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { Duration = TimeSpan.Zero }), "window.Duration", FieldRules.Range);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { Every = TimeSpan.FromMinutes(30) }), "window.Duration", FieldRules.Range);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { Every = TimeSpan.FromHours(1), Duration = null }), "window.Duration", FieldRules.Required);
        await AssertRefusedAsync(() => Store.SaveMaintenanceWindowAsync(window with { StartsAt = null }), "window.StartsAt", FieldRules.Required);

        Assert.Empty(await Store.ListMaintenanceWindowsAsync());
    }

    private static async Task AssertRefusedAsync(Func<Task> call, string field, string rule)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(call);
        Assert.Contains(error.Errors, e => e.Path == field && e.Rule == rule);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
