using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Logging;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.History;

/// <summary>The runs of a store. Queries only read: a store that does not exist yet is not created to look.</summary>
/// <param name="access">The store.</param>
/// <param name="timeProvider">The clock "now" comes from.</param>
/// <param name="logger">Where problems that do not stop the answer are said.</param>
public sealed class StoreRunHistory(StoreAccess access, TimeProvider timeProvider, ILogger logger) : IRunHistory
{
    /// <summary>The path of the script's name in a refusal by a method that takes it alone.</summary>
    public const string ScriptPath = "script";

    /// <summary>The path of the host in a refusal by a method that takes it alone.</summary>
    public const string HostPath = "host";

    private const string Request = "request.";

    /// <inheritdoc/>
    public async Task<RunView?> LastSuccessAsync(string script, string? host = null, CancellationToken cancellationToken = default)
    {
        var name = RunValidation.ScriptName(script, ScriptPath);
        var hostname = host is null ? null : RunValidation.Hostname(host, HostPath);
        using var store = access.OpenForReading();
        await KnownScript.RequireAsync(store, name, ScriptPath, access.Location.ToString(), cancellationToken).ConfigureAwait(false);
        var runs = await store!.ListRunsAsync(new RunQuery(name) { Hostname = hostname, Outcome = RunOutcome.Succeeded, Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return runs.Count == 0 ? null : RunView.From(runs[0]);
    }

    /// <inheritdoc/>
    public async Task<RunsView> ListAsync(RunListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, host) = Names(request.Script, request.Host);
        CheckLimit(request.Limit);
        (DateTimeOffset At, Guid RunId)? cursor = request.Before is { } before ? RunCursor.Parse(before, Request + nameof(RunListRequest.Before)) : null;
        using var store = await OpenWindowAsync(name, request.Since, request.Until, cancellationToken).ConfigureAwait(false);
        var query = new RunQuery(name) { Hostname = host, Since = request.Since, Until = request.Until, Limit = request.Limit };
        if (cursor is { } after)
        {
            // The cursor's own start is included, so that runs that started at the same instant after it in the
            // listing's order are not lost; those before it and the cursor's run are passed over below.
            var bound = after.At.AddTicks(TimeSpan.TicksPerMicrosecond);
            query = query with { Until = request.Until is { } until && until < bound ? until : bound };
        }

        var (runs, more) = await PageAsync(store, query, cursor, cancellationToken).ConfigureAwait(false);
        return new RunsView(name, [.. runs.Select(RunView.From)]) { Next = more ? RunCursor.Of(runs[^1]) : null };
    }

    /// <inheritdoc/>
    public async Task<RunView?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        using var store = access.OpenForReading();
        return store is not null && await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is { } run ? RunView.From(run) : null;
    }

    /// <summary>Refuses a page size the store would refuse, before a page one larger is asked of it to see whether more follow.</summary>
    internal static void CheckLimit(int limit)
    {
        if (limit is < 1 or > RunQuery.MaxLimit)
        {
            throw new ValidationException([new FieldError(Request + nameof(RunListRequest.Limit), FieldRules.Range, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Request}{nameof(RunListRequest.Limit)} ({limit}) must be from 1 to {RunQuery.MaxLimit:N0}."))]);
        }
    }

    /// <summary>One page of runs after the cursor, and whether more follow it.</summary>
    private static async Task<(List<ScriptRun> Runs, bool More)> PageAsync(IScriptRunStore store, RunQuery query, (DateTimeOffset At, Guid RunId)? cursor, CancellationToken cancellationToken)
    {
        var limit = query.Limit;
        var taken = new List<ScriptRun>(Math.Min(limit, 1000));
        var passed = cursor is null;
        var batch = query with { Limit = Math.Min(RunQuery.MaxLimit, limit + 1) };
        while (true)
        {
            var page = await store.ListRunsAsync(batch, cancellationToken).ConfigureAwait(false);
            foreach (var run in page)
            {
                if (!passed)
                {
                    if (run.StartedAt == cursor!.Value.At)
                    {
                        passed = run.RunId == cursor.Value.RunId;
                        continue;
                    }

                    // The cursor's run is gone (pruned): the page goes on with the first run older than it.
                    passed = true;
                }

                if (taken.Count == limit)
                {
                    return (taken, true);
                }

                taken.Add(run);
            }

            if (page.Count < batch.Limit)
            {
                return (taken, false);
            }

            batch = batch with { Offset = batch.Offset + page.Count };
        }
    }

    /// <inheritdoc/>
    public async Task<EventsView> EventsAsync(string script, int limit = RunQuery.DefaultLimit, int offset = 0, CancellationToken cancellationToken = default)
    {
        var name = RunValidation.ScriptName(script, ScriptPath);
        CheckPage(limit, offset);
        using var store = access.OpenForReading();
        if (store is not IScriptEventStore events)
        {
            return new EventsView(name, [], null);
        }

        // One more than asked tells whether an older page follows.
        var page = await events.ListScriptEventsAsync(name, limit + 1, offset, cancellationToken).ConfigureAwait(false);
        var more = page.Count > limit;
        return new EventsView(name, [.. page.Take(limit).Select(ScriptEventView.From)], more ? offset + limit : null);
    }

    /// <summary>Refuses a page of events out of bounds, naming <c>limit</c> and <c>offset</c> as the command and the API do.</summary>
    internal static void CheckPage(int limit, int offset)
    {
        var errors = new List<FieldError>();
        if (limit is < 1 or > RunQuery.MaxLimit)
        {
            errors.Add(new FieldError("limit", FieldRules.Range, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"limit ({limit}) must be from 1 to {RunQuery.MaxLimit:N0}.")));
        }

        if (offset < 0)
        {
            errors.Add(new FieldError("offset", FieldRules.Range, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"offset ({offset}) must not be negative.")));
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }
    }

    /// <inheritdoc/>
    public async Task<StatsView> StatisticsAsync(StatsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, host) = Names(request.Script, request.Host);
        using var store = await OpenWindowAsync(name, request.Since, request.Until, cancellationToken).ConfigureAwait(false);
        var statistics = await store.GetRuntimeStatisticsAsync(name, request.Since, request.Until, host, cancellationToken).ConfigureAwait(false);
        var runs = await store.ListRunsAsync(new RunQuery(name) { Hostname = host, Since = request.Since, Until = request.Until, Outcome = RunOutcome.Succeeded, Limit = RunQuery.MaxLimit }, cancellationToken).ConfigureAwait(false);
        // A success whose start is unknown has no runtime to chart.
        var durations = runs.Reverse().Where(r => r.Duration is not null).Select(r => r.Duration!.Value).ToList();
        return new StatsView(
            name,
            host,
            Timestamps.FormatIso(request.Since),
            Timestamps.FormatIso(request.Until),
            statistics.Count,
            Seconds.Of(statistics.Mean),
            Seconds.Of(statistics.Median),
            Seconds.Of(statistics.P95),
            Seconds.Of(statistics.Min),
            Seconds.Of(statistics.Max),
            [.. durations.Select(Seconds.Of)],
            RuntimeHistogram.Of(durations));
    }

    /// <inheritdoc/>
    public async Task<RunView> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = timeProvider.GetUtcNow();
        var (name, host) = Names(request.Script, request.Host);
        var started = RunValidation.Instant(request.StartedAt, Request + nameof(request.StartedAt), now);
        var completed = RunValidation.Instant(request.CompletedAt, Request + nameof(request.CompletedAt), now);
        if (completed < started)
        {
            throw new ValidationException([new FieldError(
                Request + nameof(request.CompletedAt),
                FieldRules.NotBeforeStart,
                $"{Request}{nameof(request.CompletedAt)} ({Timestamps.FormatIso(completed)}) must not be before {Request}{nameof(request.StartedAt)} ({Timestamps.FormatIso(started)}).")
            {
                OtherPath = Request + nameof(request.StartedAt),
            }]);
        }

        using var store = access.OpenForWriting();
        var run = request.Failed
            ? await store.RecordFailureAsync(name, started, completed, request.ExitCode, request.Message, host, cancellationToken).ConfigureAwait(false)
            : await RecordSuccessAsync(store, name, started, completed, host, cancellationToken).ConfigureAwait(false);
        return RunView.From(run);
    }

    /// <inheritdoc/>
    public async Task<RunClosedView> CloseAsync(Guid runId, string reason, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        using var store = access.OpenExisting();
        if (store is null)
        {
            return new RunClosedView(runId, null, false, $"no run has the id {runId} in {access.Location}");
        }

        var running = (await store.ListRunningAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.RunId == runId);
        try
        {
            // The store marks only a run still running: one that ended (or ends meanwhile) answers false.
            var at = running is not null && now < running.StartedAt ? running.StartedAt : now;
            var closed = await store.AbandonRunAsync(runId, at, reason, cancellationToken).ConfigureAwait(false);
            return new RunClosedView(runId, running?.ScriptName, closed, closed ? null : $"the run {runId} is not running: it has already ended, so nothing changed")
            {
                Host = running?.Hostname,
                StartedAt = running is null ? null : Timestamps.FormatIso(running.StartedAt),
            };
        }
        catch (KeyNotFoundException)
        {
            return new RunClosedView(runId, null, false, $"no run has the id {runId} in {access.Location}");
        }
    }

    /// <inheritdoc/>
    public async Task<PruneView> PruneAsync(DateTimeOffset olderThan, int keepLast, CancellationToken cancellationToken = default)
    {
        using var store = access.OpenExisting();
        long deleted = 0;
        if (store is not null)
        {
            // Runs left running that will never complete are closed first, so that they are pruned like any other.
            await CloseAbandonedRunsAsync(store, cancellationToken).ConfigureAwait(false);
            deleted = await store.PruneAsync(olderThan, keepLast, cancellationToken).ConfigureAwait(false);
        }

        return new PruneView(access.Location.ToString(), Timestamps.FormatIso(olderThan), keepLast, deleted);
    }

    /// <summary>
    /// Checks a request's window and opens the store to read a known script's runs in it (the request's fields are
    /// <c>request.Since</c>, <c>request.Until</c>, <c>request.Script</c>).
    /// </summary>
    private async Task<IScriptRunStore> OpenWindowAsync(string name, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        RunValidation.Window(since, until, Request + nameof(RunListRequest.Until), Request + nameof(RunListRequest.Since));
        var store = access.OpenForReading();
        try
        {
            await KnownScript.RequireAsync(store, name, Request + nameof(RunListRequest.Script), access.Location.ToString(), cancellationToken).ConfigureAwait(false);
            return store!;
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }

    private static (string Name, string? Host) Names(string script, string? host) =>
        (RunValidation.ScriptName(script, Request + "Script"), host is null ? null : RunValidation.Hostname(host, Request + "Host"));

    private static async Task<ScriptRun> RecordSuccessAsync(IScriptRunStore store, string name, DateTimeOffset started, DateTimeOffset completed, string? host, CancellationToken cancellationToken)
    {
        var activity = await store.RecordSuccessAsync(name, started, completed, host, cancellationToken).ConfigureAwait(false);

        // The spec's record carries no run id; read back the run just stored to show it whole.
        var runs = await store.ListRunsAsync(new RunQuery(name) { Hostname = activity.Hostname, Since = activity.DateStarted, Until = activity.DateStarted.AddTicks(10), Outcome = RunOutcome.Succeeded, Limit = 1 }, cancellationToken).ConfigureAwait(false);
        return runs.Count > 0
            ? runs[0]
            : new ScriptRun(Guid.Empty, activity.Name, activity.Hostname, activity.DateStarted, activity.DateCompleted, RunOutcome.Succeeded, null, null);
    }

    /// <summary>Closes runs that will never complete; a store that fails now leaves them for the next writer, which is logged.</summary>
    private async Task CloseAbandonedRunsAsync(IScriptRunStore store, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (run, reason) in await AbandonedRunSweep.CloseAllAsync(store, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                logger.LogRunAbandoned(run.ScriptName, run.RunId, reason);
            }
        }
        catch (StoreUnavailableException e)
        {
            logger.LogAbandonedNotChecked(e.Message.ReplaceLineEndings(" ").Trim());
        }
    }
}
