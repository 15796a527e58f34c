using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Status;

/// <summary>
/// The status overview read from a store: the store's overview read model (last success and failure, recent runs,
/// median runtime) and one evaluation of every script, in a bounded number of queries whatever the number of scripts.
/// Only reads: a store that does not exist yet has no rows and is not created.
/// </summary>
/// <param name="access">The store.</param>
/// <param name="timeProvider">The clock "now" comes from.</param>
/// <param name="logger">Where problems that do not stop the answer are said.</param>
public sealed class StoreStatusQuery(StoreAccess access, TimeProvider timeProvider, ILogger logger) : IStatusQuery
{
    /// <summary>"Recent" in the runs column: a day covers every daily job and shows an hourly one 24 times.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(24);

    /// <summary>The median runtime looks back this far: long enough for weekly jobs, short enough to follow change.</summary>
    public static readonly TimeSpan RuntimeWindow = TimeSpan.FromDays(30);

    /// <inheritdoc/>
    public async Task<StatusView> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        using var store = access.OpenForReading();
        if (store is null)
        {
            return new StatusView(access.Location.ToString(), Timestamps.FormatIso(now), []);
        }

        // The overview and the evaluation read different things; on a second connection the overview is read while
        // the scripts are evaluated, which at 10,000 scripts is a good part of the answer's time.
        using var secondConnection = access.OpenForReading();
        var overviewStore = secondConnection ?? store;
        var overview = Task.Run(() => overviewStore.ReadOverviewAsync(new OverviewQuery(now - RecentWindow, now - RuntimeWindow, now.AddTicks(1)), cancellationToken), cancellationToken);
        List<ScriptStatusView> rows;
        try
        {
            rows = await RowsAsync(store, overview, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The connections close when this returns, never under a read still running.
            await ((Task)overview).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return new StatusView(access.Location.ToString(), Timestamps.FormatIso(now), rows);
    }

    private async Task<List<ScriptStatusView>> RowsAsync(IScriptRunStore store, Task<IReadOnlyList<ScriptOverview>> overviewRead, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var gone = await GoneRunners.FindAsync(store, now, logger, cancellationToken).ConfigureAwait(false);

        // One instant for the whole answer, so that the health and the ages agree.
        var monitor = new HealthMonitor(store, new FixedTime(now));
        var health = (await monitor.EvaluateAsync(abandoned: gone, cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(h => h.ScriptName, StringComparer.Ordinal);
        var overview = await overviewRead.ConfigureAwait(false);
        var rows = new List<ScriptStatusView>(Math.Max(overview.Count, health.Count));
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var script in overview)
        {
            listed.Add(script.Name);
            rows.Add(Row(script, now, health.GetValueOrDefault(script.Name)));
        }

        // A script with an expectation but no run yet is shown too: "never ran" is news.
        foreach (var (name, verdict) in health)
        {
            if (!listed.Contains(name))
            {
                rows.Add(Row(new ScriptOverview(name, null, null, 0, null), now, verdict));
            }
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return rows;
    }

    private static ScriptStatusView Row(ScriptOverview script, DateTimeOffset now, ScriptHealth? health) => new(
        script.Name,
        script.LastSuccess is { } success ? RunView.From(success) : null,
        script.LastSuccess is { } last ? Seconds.Of(now - (last.CompletedAt ?? last.StartedAt)) : null,
        script.LastFailure is { } failure ? RunView.From(failure) : null,
        script.RecentRuns,
        script.MedianRuntime is { } median ? Seconds.Of(median) : null,
        health?.State.ToString(),
        health?.Summary);

    /// <summary>The instant the rest of the answer was read at.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
