using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Metrics;

namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// Group commit: runs received at the same time are written by one writer in one transaction, whose durable write
/// (an fsync on SQLite, a commit on PostgreSQL) costs about the same for one run or hundreds. A request is answered
/// only after the commit of its run; when the store cannot commit, every request of that batch learns it. On stop,
/// after the server has answered the requests in flight, whatever still waits is committed before the store closes.
/// Nothing here assumes it is the store's only writer: the store's batch import is safe against other servers, and
/// against this one's other writers (several on PostgreSQL).
/// </summary>
internal sealed class IngestQueue : IHostedService
{
    private readonly Channel<PendingRun> _queue;
    private readonly IScriptRunStore _store;
    private readonly InstanceMetrics _metrics;
    private readonly Peers.OpenRuns _openRuns;
    private readonly IngestOptions _options;
    private readonly TimeSpan _maxWait;
    private readonly int _writers;
    private Task _writing = Task.CompletedTask;

    public IngestQueue(ServerStore store, InstanceMetrics metrics, IOptions<IngestOptions> options, Peers.OpenRuns openRuns)
    {
        _store = store.Runs;
        _metrics = metrics;
        _openRuns = openRuns;
        _options = options.Value.Bounded();
        _maxWait = TimeSpan.FromMilliseconds(_options.MaxWaitMilliseconds);
        _writers = _options.Writers > 0 ? _options.Writers : store.Location.Provider.LocalFile(store.Location.Target) is null ? 4 : 1;
        _queue = Channel.CreateBounded<PendingRun>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = _writers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a run and completes once its batch is committed, with what the store did with it.</summary>
    /// <exception cref="StoreUnavailableException">The store could not commit the batch, or the server is stopping.</exception>
    public async ValueTask<RunImportResult> SubmitAsync(RunDelivery delivery, CancellationToken cancellationToken)
    {
        var pending = new PendingRun(delivery);
        if (!_queue.Writer.TryWrite(pending))
        {
            try
            {
                await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new StoreUnavailableException("scriptmon-server is stopping and records no more runs; send the run to it again.");
            }
        }

        // Not cancelled with the request: a run in a batch is committed whether or not its client still waits.
        return await pending.Task.ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writing = Task.WhenAll(Enumerable.Range(0, _writers).Select(_ => Task.Run(WriteAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server stops first (it was started last), and waits for its requests: by now none is queuing more.
        _queue.Writer.TryComplete();
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingRun>(_options.MaxBatch);
        var deliveries = new List<RunDelivery>(_options.MaxBatch);
        while (true)
        {
            // Runs found waiting gathered during the last commit: under load the batch forms while the previous one is
            // written, and waiting longer would only leave the writer idle. A writer that had to wait for its first run
            // was idle: a short wait lets a burst share the one durable write.
            var gathered = reader.TryPeek(out _);
            if (!gathered && !await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                break;
            }

            Take(reader, batch);
            if (!gathered && batch.Count < _options.MaxBatch && _maxWait > TimeSpan.Zero)
            {
                await WaitForMoreAsync(reader, batch).ConfigureAwait(false);
            }

            foreach (var pending in batch)
            {
                deliveries.Add(pending.Delivery);
            }

            await CommitAsync(batch, deliveries).ConfigureAwait(false);
            batch.Clear();
            deliveries.Clear();
        }
    }

    private async Task WaitForMoreAsync(ChannelReader<PendingRun> reader, List<PendingRun> batch)
    {
        using var wait = new CancellationTokenSource(_maxWait);
        try
        {
            while (batch.Count < _options.MaxBatch && await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
            {
                Take(reader, batch);
            }
        }
        catch (OperationCanceledException)
        {
            // The wait is over: commit what came.
        }
    }

    private void Take(ChannelReader<PendingRun> reader, List<PendingRun> batch)
    {
        while (batch.Count < _options.MaxBatch && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    private async Task CommitAsync(List<PendingRun> batch, List<RunDelivery> deliveries)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = await _store.ImportRunsAsync(deliveries, CancellationToken.None).ConfigureAwait(false);
            _metrics.RunsCommitted(batch.Count, Stopwatch.GetElapsedTime(started));
            // Before any request is answered: a start's client may send its completion at once.
            _openRuns.Committed(deliveries, results);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].TrySetResult(results[i]);
            }
        }
        catch (Exception e)
        {
            // Every request of the batch answers with the failure (503 for a store that does not answer); none is lost
            // silently, and the writer carries on with the next batch.
            foreach (var pending in batch)
            {
                pending.TrySetException(e);
            }
        }
    }

    /// <summary>A run waiting for its commit; its task completes when the commit is done.</summary>
    private sealed class PendingRun(RunDelivery delivery) : TaskCompletionSource<RunImportResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public RunDelivery Delivery { get; } = delivery;
    }
}
