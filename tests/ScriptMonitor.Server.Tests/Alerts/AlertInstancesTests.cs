using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ScriptMonitor.Server.Tests.Support;
using ScriptMonitor.Storage.Tests.PostgreSql;
using static ScriptMonitor.Server.Tests.Alerts.AlertHarness;

namespace ScriptMonitor.Server.Tests.Alerts;

/// <summary>
/// One sender: two server instances on one PostgreSQL database evaluate and deliver as one, and when the leader
/// freezes (SIGSTOP) the other takes over and nothing is lost.
/// </summary>
public sealed partial class AlertInstancesTests
{
    [Fact]
    public async Task Two_instances_on_postgresql_tell_each_flip_once_and_the_other_takes_over_from_a_frozen_leader()
    {
        var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql).");
        await using var database = await ThrowawayPostgreSqlServer.StartAsync(bin);
        await using var harness = new AlertHarness(database.ConnectionString);
        var ops = await harness.AddWebhookAsync("ops");
        await harness.ExpectAsync("backup-p1", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
        await harness.RunAsync("backup-p1", ago: TimeSpan.FromSeconds(57));

        var first = await harness.StartAsync();
        await using var second = await ServerProcess.Start(database.ConnectionString, $"--Alerts:TickMilliseconds={TickMilliseconds}").WaitUntilListeningAsync();

        await WaitForAsync(ops, 1, TimeSpan.FromSeconds(20));
        await SettleAsync(10);
        Assert.Equal([("Down", "backup-p1")], Events(ops).Select(e => (e.Kind, e.Script)));

        // Freeze whichever leads; the next flip is seen and told by the other.
        var leader = await LeadsAsync(first, harness.ReadKey) ? first : second;
        var other = leader == first ? second : first;
        leader.Signal("STOP");
        try
        {
            await harness.RunAsync("backup-p1");
            await WaitForAsync(ops, 2, TimeSpan.FromSeconds(20));
            await SettleAsync(10);
            Assert.Equal(["Down", "Recovery"], Events(ops).Select(e => e.Kind));
            Assert.True(await LeadsAsync(other, harness.ReadKey), other.Output);
        }
        finally
        {
            leader.Signal("CONT");
        }

        // Thawed, the old leader finds its lease gone and writes nothing more: still one notification per flip.
        await SettleAsync(10);
        Assert.Equal(2, Events(ops).Select(e => e.EventId).Distinct().Count());
        Assert.True(Events(ops).Count <= 3, string.Join("\n", Events(ops)));
    }

    private static async Task<bool> LeadsAsync(ServerProcess server, string readKey)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readKey);
        var page = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return LeaderLine().IsMatch(page);
    }

    [GeneratedRegex(@"^scriptmon_alert_leader\{instance=""[^""]+""\} 1$", RegexOptions.Multiline)]
    private static partial Regex LeaderLine();
}
