using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Delivers the outbox, at least once: claims the notifications that are due under the lease, makes an attempt on
/// each (a timeout per try and one short retry within the attempt), and records how it ended. A failure is tried
/// again later, backing off exponentially, until <see cref="DeliveryOptions.GiveUpAfterHours"/>; a channel that
/// answers that it is gone is marked broken. See docs/alerts.md, "Delivery".
/// </summary>
public sealed partial class AlertDispatcher
{
    /// <summary>Notifications claimed at once.</summary>
    private const int ClaimBatch = 64;

    /// <summary>The pause before the retry within an attempt: long enough for a connection refused during a restart.</summary>
    private static readonly TimeSpan InAttemptRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly IScriptRunStore _store;
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<ChannelKind, INotificationSender> _senders;
    private readonly ResiliencePipeline<SendResult> _pipeline;
    private long _failures;

    /// <summary>Creates the dispatcher with a sender for every kind of channel.</summary>
    /// <param name="store">The store holding the outbox and the channels.</param>
    /// <param name="options">The <c>Alerts</c> settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where it says what failed.</param>
    public AlertDispatcher(IScriptRunStore store, AlertOptions options, TimeProvider time, ILogger logger)
        : this(store, options, time, logger, NotificationSenders.Every)
    {
    }

    internal AlertDispatcher(IScriptRunStore store, AlertOptions options, TimeProvider time, ILogger logger, IEnumerable<INotificationSender> senders)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(senders);
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _senders = senders.ToDictionary(s => s.Kind);
        _pipeline = new ResiliencePipelineBuilder<SendResult>
        {
            TimeProvider = time,
        }
            .AddRetry(new RetryStrategyOptions<SendResult>
            {
                MaxRetryAttempts = 1,
                Delay = InAttemptRetryDelay,
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Result: { Delivered: false, Retry: true, TimedOut: false } } => true,
                    // Not a timeout: a channel that does not answer would hold every other notification twice as long.
                    { Exception: HttpRequestException or IOException } => true,
                    _ => false,
                }),
            })
            .AddTimeout(TimeSpan.FromSeconds(options.Delivery.AttemptTimeoutSeconds))
            .Build();
    }

    /// <summary>Attempts that failed since the start (each counted once, whatever came after).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Delivers every notification due now, batch after batch, under the lease.</summary>
    /// <param name="lease">The lease this instance leads under.</param>
    /// <param name="cancellationToken">Stops between attempts.</param>
    /// <returns>How many attempts were made.</returns>
    /// <exception cref="LeaseLostException">Another instance leads now.</exception>
    public async Task<int> DeliverDueAsync(LeaderLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var attempts = 0;
        while (true)
        {
            var now = _time.GetUtcNow();
            var due = await _store.ClaimDueNotificationsAsync(lease, now, ClaimBatch, cancellationToken).ConfigureAwait(false);
            if (due.Count == 0)
            {
                return attempts;
            }

            var channels = (await _store.ListChannelsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Name, StringComparer.Ordinal);
            // One attempt at a time: a server killed while a receiver takes a notification repeats that one alone when
            // it starts again, never a handful. A channel that does not answer holds the others for one attempt's
            // timeout, and its failures back it off.
            foreach (var notification in due)
            {
                var outcome = await AttemptAsync(notification, channels.GetValueOrDefault(notification.ChannelName), cancellationToken).ConfigureAwait(false);
                await _store.RecordDeliveryAsync(outcome, lease, cancellationToken).ConfigureAwait(false);
            }
            attempts += due.Count;
            if (due.Count < ClaimBatch)
            {
                return attempts;
            }
        }
    }

    /// <summary>One attempt, and what it means for the notification: delivered, tried again when, or failed for good.</summary>
    internal async Task<DeliveryOutcome> AttemptAsync(Notification notification, AlertChannel? channel, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        SendResult result;
        if (channel is null)
        {
            result = new SendResult(false, $"the channel {notification.ChannelName} was removed", Retry: false);
        }
        else if (channel.BrokenSince is not null)
        {
            result = new SendResult(false, $"the channel {channel.Name} is broken since {Runs.Timestamps.FormatIso(channel.BrokenSince.Value)}: {channel.BrokenReason}", Retry: false);
        }
        else if (channel.Kind == ChannelKind.Command && !_options.CommandChannels.Enabled)
        {
            result = new SendResult(false, $"command channels are off on this server (Alerts:CommandChannels:Enabled=true turns them on)", Retry: false);
        }
        else if (!_senders.TryGetValue(channel.Kind, out var sender))
        {
            result = new SendResult(false, $"this server cannot deliver to {channel.Kind} channels", Retry: false);
        }
        else
        {
            result = await SendAsync(sender, channel, notification, cancellationToken).ConfigureAwait(false);
        }

        if (result.Delivered)
        {
            return new DeliveryOutcome(notification.EventId, at, true, null);
        }

        Interlocked.Increment(ref _failures);
        var attempt = notification.Attempts + 1;
        DateTimeOffset? retryAt = null;
        if (result.Retry && !result.ChannelGone)
        {
            var next = _time.GetUtcNow() + Backoff(attempt);
            if (next - notification.CreatedAt < TimeSpan.FromHours(_options.Delivery.GiveUpAfterHours))
            {
                retryAt = next;
            }
        }

        LogAttemptFailed(_logger, notification.EventId, notification.ChannelName, attempt, result.Error ?? "failed", retryAt is { } r ? Runs.Timestamps.FormatIso(r) : "never");
        return new DeliveryOutcome(notification.EventId, at, false, result.Error ?? "failed") { RetryAt = retryAt, ChannelGone = result.ChannelGone };
    }

    /// <summary>The wait after the <paramref name="attempt"/>th failure: the first retry's, doubled each time, capped.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var first = _options.Delivery.FirstRetrySeconds;
        var seconds = first * Math.Pow(2, Math.Min(30, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.Delivery.MaxBackoffSeconds));
    }

    private async Task<SendResult> SendAsync(INotificationSender sender, AlertChannel channel, Notification notification, CancellationToken cancellationToken)
    {
        AlertEvent alert;
        try
        {
            alert = AlertEventBuilder.Deserialize(notification.Payload);
        }
        catch (System.Text.Json.JsonException e)
        {
            return new SendResult(false, $"the stored notification cannot be read: {e.Message}", Retry: false);
        }

        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    var result = await sender.SendAsync(channel, alert, token).ConfigureAwait(false);
                    return !result.Delivered && token.IsCancellationRequested ? result with { TimedOut = true } : result;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            return new SendResult(false, $"no answer within {_options.Delivery.AttemptTimeoutSeconds} s (Alerts:Delivery:AttemptTimeoutSeconds)", Retry: true);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return new SendResult(false, e.Message, Retry: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: notification {EventId} to {Channel} failed (attempt {Attempt}): {Error}; next attempt {RetryAt}")]
    private static partial void LogAttemptFailed(ILogger logger, Guid eventId, string channel, int attempt, string error, string retryAt);
}
