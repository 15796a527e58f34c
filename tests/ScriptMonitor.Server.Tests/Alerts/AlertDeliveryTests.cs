using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Testing;
using static ScriptMonitor.Server.Tests.Alerts.AlertHarness;

namespace ScriptMonitor.Server.Tests.Alerts;

/// <summary>
/// What the loop tells and when, with real receivers: an SMTP server (aiosmtpd) that is down when the script goes
/// down and comes back later, a maintenance window that keeps a missed run quiet, and a channel that repeats.
/// </summary>
public sealed class AlertDeliveryTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Earlier = TimeSpan.FromSeconds(57);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_email_to_an_smtp_server_that_is_down_is_retried_and_delivered_when_it_returns()
    {
        await using var harness = new AlertHarness();
        var port = HttpReceiver.FreePort();
        using (var store = ScriptRunStores.Open(harness.Database))
        {
            Assert.True(await store.SaveChannelAsync(new AlertChannel("mail", ChannelKind.Email)
            {
                Settings = new Dictionary<string, string>
                {
                    [ChannelSettings.Host] = "127.0.0.1",
                    [ChannelSettings.Port] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [ChannelSettings.Tls] = "none",
                    [ChannelSettings.From] = "scriptmon@example.com",
                    [ChannelSettings.To] = "ops@example.com",
                },
                CreatedAt = DateTimeOffset.UtcNow,
            }));
        }

        await harness.ExpectAsync("backup-mail", Period, Grace);
        await harness.RunAsync("backup-mail", ago: Earlier);
        await harness.StartAsync();

        // Nothing listens on the port yet: the notification waits, with the refusal as its last error.
        Assert.True(
            await UntilAsync(async () => Notifications(await harness.GetAsync("/api/v1/notifications?channel=mail")).Any(n => n.Attempts > 0 && n.Status == "Pending" && n.LastError is not null), Bound),
            harness.Server!.Output);

        using var smtp = new SmtpReceiver(port);
        var messages = await smtp.MessagesAsync(atLeast: 1, within: Bound);

        var message = Assert.Single(messages);
        Assert.Contains("backup-mail", message.Subject, StringComparison.Ordinal);
        Assert.True(
            await UntilAsync(async () => Notifications(await harness.GetAsync("/api/v1/notifications?channel=mail")).All(n => n.Status == "Delivered"), Bound),
            harness.Server!.Output);
        var notification = Assert.Single(Notifications(await harness.GetAsync("/api/v1/notifications?channel=mail")));
        Assert.True(notification.Attempts > 1, $"{notification.Attempts} attempts");
        Assert.Contains(notification.EventId, message.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missed_run_in_an_open_maintenance_window_tells_nothing_and_the_state_is_maintenance()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops");
        await harness.ExpectAsync("backup-m", Period, Grace);
        await harness.RunAsync("backup-m", ago: Earlier);
        using (var store = ScriptRunStores.Open(harness.Database))
        {
            Assert.True(await store.SaveMaintenanceWindowAsync(new MaintenanceWindow("db-upgrade")
            {
                ScriptName = "backup-m",
                StartsAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                Duration = TimeSpan.FromHours(1),
                CreatedAt = DateTimeOffset.UtcNow,
            }));
        }

        await harness.StartAsync();

        // Past its due instant and grace, and a few ticks more.
        await Task.Delay(Period - Earlier + Grace);
        await SettleAsync(10);
        Assert.Empty(ops.Requests);
        var flips = (await harness.GetAsync("/api/v1/scripts/backup-m/flips")).GetProperty("flips").EnumerateArray().ToList();
        Assert.Equal(["Maintenance"], flips.Select(f => f.GetProperty("to").GetString()));
        var check = await harness.GetAsync("/api/v1/scripts/backup-m");
        Assert.Contains("Maintenance", check.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_that_repeats_tells_again_while_the_script_stays_down()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops", repeatEvery: TimeSpan.FromMinutes(1));
        var quiet = await harness.AddWebhookAsync("quiet");
        await harness.ExpectAsync("backup-r", TimeSpan.FromHours(1), Grace);
        await harness.RunAsync("backup-r", succeeded: false, ago: TimeSpan.FromSeconds(1));
        await harness.StartAsync("--Alerts:PublicUrl=https://monitor.example.com/");

        await WaitForAsync(ops, 1, Bound);
        await WaitForAsync(ops, 2, TimeSpan.FromSeconds(80));
        await SettleAsync();

        Assert.Equal(["Down", "Repeat"], Events(ops).Select(e => e.Kind));
        Assert.NotEqual(Events(ops)[0].EventId, Events(ops)[1].EventId);
        Assert.Equal(["Down"], Events(quiet).Select(e => e.Kind));
        Assert.All(ops.Requests, request => Assert.Contains("https://monitor.example.com/ui/#/script/backup-r", request.Body, StringComparison.Ordinal));
    }

    private static List<(string Status, int Attempts, string? LastError, string EventId)> Notifications(System.Text.Json.JsonElement page) =>
        [.. page.GetProperty("notifications").EnumerateArray().Select(n => (
            n.GetProperty("status").GetString()!,
            n.GetProperty("attempts").GetInt32(),
            n.TryGetProperty("lastError", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.String ? error.GetString() : null,
            n.GetProperty("eventId").GetString()!))];
}
