using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary><c>scriptmon flips</c> and <c>scriptmon notifications list</c> on a store where the alert loop recorded a flip and its notification.</summary>
public sealed class AlertHistoryCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Flips_and_notifications_list_what_the_loop_recorded()
    {
        var eventId = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        using (var store = ScriptRunStores.Open(_sandbox.Database))
        {
            await store.SaveChannelAsync(new AlertChannel("ops", ChannelKind.Webhook) { Settings = new Dictionary<string, string> { ["url"] = "https://hooks.example.test/x" }, CreatedAt = at });
            var lease = await store.TryTakeLeaseAsync("test:1:a", TimeSpan.FromMinutes(1));
            var reason = new HealthReason(HealthState.Late, null, "no successful run since 2026-12-07 01:00:00+00:00, expected every 1h with 5m grace") { Facts = new HealthFacts { DueAt = at.AddMinutes(-5) } };
            await store.RecordFlipAsync(new StateFlip(0, "backup", at, HealthState.Up, HealthState.Late, reason), [new Notification(eventId, "ops", "backup", NotificationKind.Down, at, "{}") { NextAttemptAt = at }], lease!);
        }

        var flips = _sandbox.Run("flips", "backup");
        var flipsJson = _sandbox.Run("flips", "backup", "--json");
        var notifications = _sandbox.Run("notifications", "list", "--script", "backup");
        var notificationsJson = _sandbox.Run("notifications", "list", "--channel", "ops", "--json");
        var bad = _sandbox.Run("notifications", "list", "--channel", new string('x', 300));

        Assert.True(flips.ExitCode == 0, flips.ToString());
        Assert.Contains("Late", flips.Stdout, StringComparison.Ordinal);
        Assert.Contains("no successful run since", flips.Stdout, StringComparison.Ordinal);
        var flip = Assert.Single(flipsJson.Json().GetProperty("flips").EnumerateArray());
        Assert.Equal(("Up", "Late", false), (flip.GetProperty("from").GetString(), flip.GetProperty("to").GetString(), flip.GetProperty("quiet").GetBoolean()));
        Assert.NotNull(flip.GetProperty("dueAt").GetString());

        Assert.True(notifications.ExitCode == 0, notifications.ToString());
        Assert.Contains(eventId.ToString(), notifications.Stdout, StringComparison.Ordinal);
        Assert.Contains("Pending", notifications.Stdout, StringComparison.Ordinal);
        var listed = Assert.Single(notificationsJson.Json().GetProperty("notifications").EnumerateArray());
        Assert.Equal((eventId.ToString(), "Down", "Pending", 0), (listed.GetProperty("eventId").GetString(), listed.GetProperty("kind").GetString(), listed.GetProperty("status").GetString(), listed.GetProperty("attempts").GetInt32()));

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--channel", bad.Stderr, StringComparison.Ordinal);
    }
}
