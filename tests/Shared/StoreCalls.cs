// Compiled into the storage tests and into the RunWriter fixture, which makes the same calls as another user.
using System.Globalization;
using ScriptMonitor.Access;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Testing;

/// <summary>One method of the store contract, called as a caller would, and whether it writes.</summary>
/// <param name="Method">The method's name, as the contract declares it.</param>
/// <param name="Writes">Whether it changes the store.</param>
/// <param name="Invoke">Calls it.</param>
public sealed record StoreCall(string Method, bool Writes, Func<IScriptRunStore, Task> Invoke);

/// <summary>How one call ended: <c>ok</c>, or the type of the exception it threw, with its message.</summary>
public sealed record StoreCallResult(string Method, bool Writes, string Outcome, string Message)
{
    public const string Ok = "ok";

    /// <summary>The result as one line of tab-separated fields, for a child process to print.</summary>
    public string ToLine() => string.Join('\t', Method, Writes ? "writes" : "reads", Outcome, Message.ReplaceLineEndings(" "));

    public static StoreCallResult FromLine(string line)
    {
        var fields = line.Split('\t');
        return new StoreCallResult(fields[0], fields[1] == "writes", fields[2], fields[3]);
    }

    public override string ToString() => $"{Method}: {Outcome} {Message}";
}

/// <summary>
/// Every method of the store contract, each called once with arguments that succeed on a healthy store that
/// <see cref="SeedAsync"/> prepared: so that a store that cannot be used is seen to fail in each, not just in some.
/// </summary>
public static class StoreCalls
{
    public const string Script = "contract-calls";

    private const string Host = "db1";

    /// <summary>A run <see cref="SeedAsync"/> leaves running, for the completion.</summary>
    private static readonly Guid ToComplete = Guid.Parse("0c0a3b7e-3d44-4d6f-9f55-1f6b8e0d2a01");

    /// <summary>A run <see cref="SeedAsync"/> leaves running, for the abandonment.</summary>
    private static readonly Guid ToAbandon = Guid.Parse("0c0a3b7e-3d44-4d6f-9f55-1f6b8e0d2a02");

    /// <summary>The hash of a key <see cref="SeedAsync"/> adds, for the lookup.</summary>
    private static readonly byte[] SeededKeyHash = [.. Enumerable.Range(1, KeyValidation.SecretHashLength).Select(i => (byte)i)];

    /// <summary>The instance that holds the alert lease <see cref="SeedAsync"/> takes.</summary>
    private const string Holder = "contract-calls-instance";

    /// <summary>A notification <see cref="SeedAsync"/> puts in the outbox, for the delivery.</summary>
    private static readonly Guid SeededEvent = Guid.Parse("0c0a3b7e-3d44-4d6f-9f55-1f6b8e0d2a03");

    /// <summary>
    /// Records what the calls need: two runs in progress, old runs to prune, an old skip, an expectation, a key to
    /// revoke, the alert lease, a notification to deliver, a channel and a maintenance window to remove.
    /// </summary>
    public static async Task SeedAsync(IScriptRunStore store, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        for (var day = 10; day > 0; day--)
        {
            await store.RecordFailureAsync(Script, now.AddDays(-day), now.AddDays(-day).AddMinutes(1), exitCode: 1, message: "failed", hostname: Host);
        }

        await store.RecordSuccessAsync(Script, now.AddHours(-2), now.AddHours(-2).AddMinutes(1), Host);
        await store.RecordStartAsync(Script, now.AddHours(-1), Host, ToComplete);
        await store.RecordStartAsync(Script, now.AddMinutes(-30), Host, ToAbandon);
        await store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), Script, Host, now.AddDays(-9), "pid 1"));
        await store.SetExpectationAsync(new ScriptExpectation(Script) { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });
        await store.AddKeyAsync(new ApiKey("seededaa", "seeded", KeyScope.Read, [], now.AddDays(-1), AuditEntry.CommandLine), SeededKeyHash);
        var lease = await store.TryTakeLeaseAsync(Holder, TimeSpan.FromHours(1)) ?? throw new InvalidOperationException("The seeded store's lease is held.");
        await store.EnqueueNotificationsAsync([new Notification(SeededEvent, "seeded-channel", Script, NotificationKind.Down, now.AddMinutes(-10), "{}")], lease);
        await store.SaveChannelAsync(Channel("seeded-channel"));
        await store.SaveMaintenanceWindowAsync(new MaintenanceWindow("seeded-window") { ScriptName = Script, StartsAt = now.AddDays(1), Duration = TimeSpan.FromHours(1) });
        await store.SetPingIdentityAsync(Script, SeededPingId);
        await store.EnsurePingKeyAsync();
    }

    /// <summary>The ping UUID <see cref="SeedAsync"/> gives the script, for the lookups.</summary>
    public static readonly Guid SeededPingId = Guid.Parse("5eeded00-0000-4000-8000-000000000001");

    /// <summary>The calls, at <paramref name="now"/>.</summary>
    public static IReadOnlyList<StoreCall> All(DateTimeOffset now) =>
    [
        new("RecordSuccess", true, s => Task.FromResult(s.RecordSuccess(Script, now.AddMinutes(-5), now.AddMinutes(-4), Host))),
        new("RecordSuccessAsync", true, s => s.RecordSuccessAsync(Script, now.AddMinutes(-5), now.AddMinutes(-4), Host)),
        new("GetLastActivity", false, s => Task.FromResult(s.GetLastActivity(Script))),
        new("GetLastActivityAsync", false, s => s.GetLastActivityAsync(Script)),
        new("RecordStartAsync", true, s => s.RecordStartAsync(Script, now.AddMinutes(-3), Host)),
        new("CompleteRunAsync", true, s => s.CompleteRunAsync(ToComplete, now.AddMinutes(-2), RunOutcome.Succeeded, exitCode: 0)),
        new("AbandonRunAsync", true, s => s.AbandonRunAsync(ToAbandon, now.AddMinutes(-1), "its runner is gone")),
        new("ListRunningAsync", false, s => s.ListRunningAsync()),
        new("RecordSkipAsync", true, s => s.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), Script, Host, now.AddMinutes(-1), "pid 2"))),
        new("ListSkipsAsync", false, s => s.ListSkipsAsync(Script)),
        new("RecordFailureAsync", true, s => s.RecordFailureAsync(Script, now.AddMinutes(-5), now.AddMinutes(-4), 1, "failed", Host)),
        new("ImportRunAsync", true, s => s.ImportRunAsync(new ScriptRun(Guid.NewGuid(), Script, Host, now.AddMinutes(-5), now.AddMinutes(-4), RunOutcome.Succeeded, 0, null))),
        new("ImportRunsAsync", true, s => s.ImportRunsAsync([new RunDelivery(new ScriptRun(Guid.NewGuid(), Script, Host, now.AddMinutes(-5), now.AddMinutes(-4), RunOutcome.Succeeded, 0, null), now)])),
        new("ListRunsAsync", false, s => s.ListRunsAsync(new RunQuery(Script))),
        new("GetRunAsync", false, s => s.GetRunAsync(ToComplete)),
        new("ListScriptsAsync", false, s => s.ListScriptsAsync()),
        new("ReadOverviewAsync", false, s => s.ReadOverviewAsync(new OverviewQuery(now.AddDays(-1), now.AddDays(-30), now))),
        new("GetRuntimeStatisticsAsync", false, s => s.GetRuntimeStatisticsAsync(Script, now.AddDays(-30), now)),
        new("PruneAsync", true, s => s.PruneAsync(now.AddDays(-5), keepLast: 1)),
        new("PruneOutputAsync", true, s => s.PruneOutputAsync(now.AddDays(-5))),
        new("GetInfoAsync", false, s => s.GetInfoAsync()),
        new("SetExpectationAsync", true, s => s.SetExpectationAsync(new ScriptExpectation(Script) { Schedule = Schedule.Every(TimeSpan.FromHours(2)) })),
        new("GetExpectationAsync", false, s => s.GetExpectationAsync(Script)),
        new("ListExpectationsAsync", false, s => s.ListExpectationsAsync()),
        new("RemoveExpectationAsync", true, s => s.RemoveExpectationAsync(Script)),
        new("ReadSnapshotsAsync", false, s => s.ReadSnapshotsAsync()),
        new("CountRunsAsync", false, s => s.CountRunsAsync(new RunQuery(Script))),
        new("AddKeyAsync", true, s => s.AddKeyAsync(new ApiKey("calledaa", "called", KeyScope.Ingest, ["contract-*"], now.AddMinutes(-1), AuditEntry.CommandLine), new byte[KeyValidation.SecretHashLength])),
        new("FindKeyAsync", false, s => s.FindKeyAsync(SeededKeyHash)),
        new("ListKeysAsync", false, s => s.ListKeysAsync()),
        new("RevokeKeyAsync", true, s => RevokeAsync(s, "seeded", now)),
        new("RecordAuditAsync", true, s => s.RecordAuditAsync(new AuditEntry(now.AddMinutes(-1), "seeded", "script.pause", Script))),
        new("ListAuditAsync", false, s => s.ListAuditAsync()),
        new("SaveMaintenanceWindowAsync", true, s => s.SaveMaintenanceWindowAsync(new MaintenanceWindow("called-window") { Tag = "db", Cron = "0 3 * * 0", Duration = TimeSpan.FromHours(1) })),
        new("ListMaintenanceWindowsAsync", false, s => s.ListMaintenanceWindowsAsync()),
        new("RemoveMaintenanceWindowAsync", true, s => s.RemoveMaintenanceWindowAsync("seeded-window")),
        new("ReadChangesAsync", false, s => s.ReadChangesAsync(0, 100)),
        new("GetLeaseAsync", false, s => s.GetLeaseAsync()),
        new("TryTakeLeaseAsync", true, s => s.TryTakeLeaseAsync(Holder, TimeSpan.FromHours(1))),
        new("RecordFlipAsync", true, async s => await s.RecordFlipAsync(
            new StateFlip(0, Script, now, HealthState.Up, HealthState.Late, new HealthReason(HealthState.Late, null, "late")),
            [new Notification(Guid.NewGuid(), "seeded-channel", Script, NotificationKind.Down, now, "{}")],
            await LeaseAsync(s))),
        new("ReadLatestFlipsAsync", false, s => s.ReadLatestFlipsAsync()),
        new("ListFlipsAsync", false, s => s.ListFlipsAsync(Script)),
        new("EnqueueNotificationsAsync", true, async s => await s.EnqueueNotificationsAsync([new Notification(Guid.NewGuid(), "seeded-channel", Script, NotificationKind.Repeat, now, "{}")], await LeaseAsync(s))),
        new("ClaimDueNotificationsAsync", false, async s => await s.ClaimDueNotificationsAsync(await LeaseAsync(s), now, 10)),
        new("RecordDeliveryAsync", true, async s => await s.RecordDeliveryAsync(new DeliveryOutcome(SeededEvent, now, Delivered: true, Error: null), await LeaseAsync(s))),
        new("ListNotificationsAsync", false, s => s.ListNotificationsAsync(Script)),
        new("ListDeliveryAttemptsAsync", false, s => s.ListDeliveryAttemptsAsync(SeededEvent)),
        new("GetOutboxDepthAsync", false, s => s.GetOutboxDepthAsync()),
        new("SaveChannelAsync", true, s => s.SaveChannelAsync(Channel("called-channel"))),
        new("ListChannelsAsync", false, s => s.ListChannelsAsync()),
        new("RemoveChannelAsync", true, s => s.RemoveChannelAsync("seeded-channel")),
        new("ReleaseLeaseAsync", true, async s => await s.ReleaseLeaseAsync(await LeaseAsync(s))),
        // Made on first need in a write transaction, so a store that cannot be written cannot answer even for a
        // script that has its identity: a caller that needs one spools nothing and answers 503.
        new("EnsurePingIdentityAsync", true, s => s.EnsurePingIdentityAsync(Script)),
        new("SetPingIdentityAsync", true, s => s.SetPingIdentityAsync("called-script", Guid.Parse("ca11ed00-0000-4000-8000-000000000002"))),
        new("RemovePingIdentityAsync", true, s => s.RemovePingIdentityAsync(Script)),
        new("FindPingIdentityAsync", false, s => s.FindPingIdentityAsync(SeededPingId)),
        new("FindPingIdentitiesBySlugAsync", false, s => s.FindPingIdentitiesBySlugAsync(PingIdentity.SlugOf(Script))),
        new("ListPingIdentitiesAsync", false, s => s.ListPingIdentitiesAsync()),
        new("EnsurePingKeyAsync", true, s => s.EnsurePingKeyAsync()),
        new("SetPingKeyAsync", true, s => s.SetPingKeyAsync("called-ping-key-0001")),
    ];

    private static AlertChannel Channel(string name) => new(name, ChannelKind.Webhook)
    {
        Settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["url"] = "https://hooks.example.com/contract" },
        Secrets = new Dictionary<string, string>(StringComparer.Ordinal) { ["header.Authorization"] = "Bearer contract" },
    };

    /// <summary>The lease <see cref="SeedAsync"/> took, read as the loop holding it would know it.</summary>
    private static async Task<LeaderLease> LeaseAsync(IScriptRunStore store) =>
        await store.GetLeaseAsync() ?? throw new InvalidOperationException("The seeded lease is gone.");

    /// <summary>A revocation that must find its key: false would be a store that lost it, not one that failed.</summary>
    private static async Task RevokeAsync(IScriptRunStore store, string name, DateTimeOffset now)
    {
        if (!await store.RevokeKeyAsync(name, now.AddMinutes(-1), AuditEntry.CommandLine))
        {
            throw new InvalidOperationException($"The key '{name}' was not found to revoke.");
        }
    }

    /// <summary>Makes every call in turn and says how each ended; a call never stops the next.</summary>
    public static async Task<IReadOnlyList<StoreCallResult>> CallEachAsync(IScriptRunStore store, DateTimeOffset now)
    {
        var results = new List<StoreCallResult>();
        foreach (var call in All(now))
        {
            results.Add(await CallAsync(call, store));
        }

        return results;
    }

    /// <summary>
    /// Makes every call at once, each on a store of its own that <paramref name="open"/> opens: for a store whose every
    /// write waits out a bound before it fails, so that the waits overlap rather than add up.
    /// </summary>
    public static async Task<IReadOnlyList<StoreCallResult>> CallEachAtOnceAsync(Func<IScriptRunStore> open, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(open);
        // A thread of its own for each: the calls block while they wait, and the thread pool would add threads slowly.
        return await Task.WhenAll(All(now).Select(call => Task.Factory.StartNew(
            () =>
            {
                using var store = open();
                return CallAsync(call, store).GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));
    }

    private static async Task<StoreCallResult> CallAsync(StoreCall call, IScriptRunStore store)
    {
        try
        {
            await call.Invoke(store);
            return new StoreCallResult(call.Method, call.Writes, StoreCallResult.Ok, string.Empty);
        }
        catch (Exception e)
        {
            return new StoreCallResult(call.Method, call.Writes, e.GetType().Name, e.Message);
        }
    }

    /// <summary>An instant for a child process's command line.</summary>
    public static string Format(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);
}
