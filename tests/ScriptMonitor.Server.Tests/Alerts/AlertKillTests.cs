using static ScriptMonitor.Server.Tests.Alerts.AlertHarness;

namespace ScriptMonitor.Server.Tests.Alerts;

/// <summary>
/// At least once, never lost: the server is killed (SIGKILL) at random instants while scripts flip and their
/// notifications are delivered, and started again on the same store.
/// </summary>
public sealed class AlertKillTests
{
    private const int Scripts = 6;
    private const int Kills = 3;

    [Fact]
    public async Task Killed_at_random_around_flips_and_deliveries_every_notification_is_delivered_with_at_most_one_repeat_per_kill()
    {
        await using var harness = new AlertHarness();
        var ops = await harness.AddWebhookAsync("ops");

        // A slow receiver: a kill often falls between its taking a notification and the server recording that it did.
        ops.Answer = _ =>
        {
            Thread.Sleep(150);
            return (200, "ok");
        };

        // Due one after another over the next seconds, so that flips and deliveries go on while the server is killed.
        for (var i = 0; i < Scripts; i++)
        {
            var name = $"backup-k{i}";
            await harness.ExpectAsync(name, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
            await harness.RunAsync(name, ago: TimeSpan.FromSeconds(57 - i));
        }

        var random = new Random(12);
        for (var kill = 0; kill < Kills; kill++)
        {
            var server = await harness.StartAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1500, 3500)));
            server.Signal("KILL");
            await server.WaitForExitAsync();
            await harness.StopAsync();
        }

        // The last start runs until every script was told and the outbox is empty.
        await harness.StartAsync();
        Assert.True(
            await UntilAsync(async () => Events(ops).Select(e => e.Script).Distinct().Count() == Scripts && await PendingAsync(harness) == 0, TimeSpan.FromSeconds(30)),
            $"not every script was told:\n{string.Join("\n", Events(ops))}\n{harness.Server!.Output}");
        await SettleAsync();

        var events = Events(ops);
        foreach (var script in events.GroupBy(e => e.Script))
        {
            // One Down per script, however many times it was sent.
            Assert.Equal([("Down", script.First().EventId)], script.Select(e => (e.Kind, e.EventId)).Distinct());
        }

        Assert.True(events.Count - Scripts <= Kills, $"{events.Count - Scripts} repeats after {Kills} kills");
        var stored = (await harness.GetAsync("/api/v1/notifications")).GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(Scripts, stored.Count);
        Assert.All(stored, n => Assert.Equal("Delivered", n.GetProperty("status").GetString()));
    }

    private static async Task<int> PendingAsync(AlertHarness harness) =>
        (await harness.GetAsync("/api/v1/notifications")).GetProperty("notifications").EnumerateArray().Count(n => n.GetProperty("status").GetString() != "Delivered");
}
