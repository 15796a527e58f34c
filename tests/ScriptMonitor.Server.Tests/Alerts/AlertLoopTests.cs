using ScriptMonitor.Testing;
using static ScriptMonitor.Server.Tests.Alerts.AlertHarness;

namespace ScriptMonitor.Server.Tests.Alerts;

/// <summary>
/// The server notices by itself: a real server process with a short tick, runs written straight into its SQLite file
/// (as <c>scriptmon exec</c> on its host writes them, not through the server), and webhooks delivered to real HTTP
/// receivers.
/// </summary>
public sealed class AlertLoopTests
{
    // The shortest period an expectation takes; the first run is written as if it ended this long ago, so that the
    // next is due a few seconds after the server starts.
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Earlier = TimeSpan.FromSeconds(57);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_missed_run_is_told_once_per_channel_and_its_recovery_once()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops");
        var pager = await harness.AddWebhookAsync("pager");
        await harness.ExpectAsync("backup-a", Period, Grace);
        await harness.RunAsync("backup-a", ago: Earlier);
        await harness.StartAsync();

        await WaitForAsync(ops, 1, Bound);
        await WaitForAsync(pager, 1, Bound);
        await SettleAsync();
        Assert.Equal([("Down", "backup-a")], Events(ops).Select(e => (e.Kind, e.Script)));
        Assert.Equal([("Down", "backup-a")], Events(pager).Select(e => (e.Kind, e.Script)));
        Assert.NotEqual(Events(ops)[0].EventId, Events(pager)[0].EventId);

        // The run that ends it is written into the store by another process: the loop sees it in the change feed.
        await harness.RunAsync("backup-a");
        await WaitForAsync(ops, 2, Bound);
        await WaitForAsync(pager, 2, Bound);
        await SettleAsync();
        Assert.Equal(["Down", "Recovery"], Events(ops).Select(e => e.Kind));
        Assert.Equal(["Down", "Recovery"], Events(pager).Select(e => e.Kind));
        Assert.Contains("up again", ops.Requests[1].Body, StringComparison.Ordinal);

        var flips = (await harness.GetAsync("/api/v1/scripts/backup-a/flips")).GetProperty("flips").EnumerateArray().ToList();
        Assert.Equal(("Late", "Up", false), (flips[0].GetProperty("from").GetString(), flips[0].GetProperty("to").GetString(), flips[0].GetProperty("quiet").GetBoolean()));
        Assert.Contains(flips, f => f.GetProperty("to").GetString() == "Late" && !f.GetProperty("quiet").GetBoolean() && f.GetProperty("dueAt").GetString() is not null);

        var notifications = (await harness.GetAsync("/api/v1/notifications?script=backup-a&channel=ops")).GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["Recovery", "Down"], notifications.Select(n => n.GetProperty("kind").GetString()));
        Assert.All(notifications, n => Assert.Equal(("Delivered", 1), (n.GetProperty("status").GetString(), n.GetProperty("attempts").GetInt32())));
        Assert.Equal(Events(ops)[0].EventId, notifications[1].GetProperty("eventId").GetString());
    }

    [Fact]
    public async Task A_paused_script_sends_nothing_and_its_state_is_paused()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops");
        await harness.ExpectAsync("backup-c", Period, Grace, paused: true);
        await harness.RunAsync("backup-c", ago: Earlier);
        await harness.StartAsync();

        // Past its due instant and grace, and a few ticks more.
        await Task.Delay(Period - Earlier + Grace);
        await SettleAsync(10);
        Assert.Empty(ops.Requests);
        var flips = (await harness.GetAsync("/api/v1/scripts/backup-c/flips")).GetProperty("flips").EnumerateArray().ToList();
        Assert.Equal(["Paused"], flips.Select(f => f.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task A_flapping_script_is_told_once_then_nothing_until_it_is_stable()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops");
        await harness.ExpectAsync("backup-d", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        await harness.RunAsync("backup-d", ago: Earlier);
        await harness.StartAsync("--Alerts:Flapping:MaxFlips=2", "--Alerts:Flapping:Window=00:10:00", "--Logging:LogLevel:ScriptMonitor.Alerts=Debug");

        // Up, then failing, up, failing, up, failing, up: each state seen by the loop before the next run.
        Assert.True(await UntilAsync(async () => (await harness.GetAsync("/api/v1/scripts/backup-d/flips")).GetProperty("flips").GetArrayLength() >= 1, Bound), "first flip not seen");
        var flipsSeen = 1;
        for (var i = 0; i < 6; i++)
        {
            await harness.RunAsync("backup-d", succeeded: i % 2 == 1);
            flipsSeen++;
            var expected = flipsSeen;
            Assert.True(await UntilAsync(async () => (await harness.GetAsync("/api/v1/scripts/backup-d/flips")).GetProperty("flips").GetArrayLength() >= expected, Bound), $"flip {expected} not seen:\n{harness.Server!.Output}");
        }

        await SettleAsync();
        Assert.Equal(["Down", "Recovery", "Flapping"], Events(ops).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_notification_the_receiver_refuses_is_retried_with_the_same_event_id_until_delivered()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops");
        var refusals = 3;
        ops.Answer = _ => Interlocked.Decrement(ref refusals) >= 0 ? (503, "down for maintenance") : (200, "ok");
        await harness.ExpectAsync("backup-e", Period, Grace);
        await harness.RunAsync("backup-e", ago: Earlier);
        await harness.StartAsync();

        await WaitForAsync(ops, 4, Bound * 2);
        await SettleAsync();
        var events = Events(ops);
        Assert.Equal(4, events.Count);
        Assert.Single(events.Select(e => e.EventId).Distinct());
        var notification = (await harness.GetAsync("/api/v1/notifications?channel=ops")).GetProperty("notifications")[0];
        Assert.Equal("Delivered", notification.GetProperty("status").GetString());
        Assert.True(notification.GetProperty("attempts").GetInt32() >= 2);
    }

    [Fact]
    public async Task The_heartbeat_url_is_called_every_tick_for_a_dead_mans_switch()
    {
        await using var harness = new AlertHarness();
        using var switchboard = new HttpReceiver();
        await harness.StartAsync($"--Alerts:HeartbeatUrl={switchboard.Url}ping/scriptmon");

        await WaitForAsync(switchboard, 3, Bound);
        Assert.True(switchboard.Requests.Count >= 3, harness.Server!.Output);
        Assert.All(switchboard.Requests.Take(3), r => Assert.Equal(("GET", "/ping/scriptmon"), (r.Method, r.PathAndQuery)));
    }
}
