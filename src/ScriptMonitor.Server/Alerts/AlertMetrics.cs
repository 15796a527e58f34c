using System.Globalization;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Server.Metrics;

namespace ScriptMonitor.Server.Alerts;

/// <summary>Watching the watcher: the loop's last tick and lag, the outbox, failed attempts and who leads, for /metrics.</summary>
internal static class AlertMetrics
{
    public static void Write(TextWriter output, AlertEngine engine, AlertDispatcher dispatcher, OutboxDepth? depth, DateTimeOffset now)
    {
        Family(output, "scriptmon_alert_last_tick_timestamp_seconds", "gauge", "When this instance's evaluation loop last ticked (Unix time).");
        output.Write($"scriptmon_alert_last_tick_timestamp_seconds {Number(engine.LastTickAt is { } tick ? tick.ToUnixTimeMilliseconds() / 1000.0 : 0)}\n");

        Family(output, "scriptmon_alert_lag_seconds", "gauge", "How far this instance's loop is behind: since its last complete evaluation as the leader, or its last tick as a follower.");
        var lag = engine.LagAt(now);
        output.Write($"scriptmon_alert_lag_seconds {Number(lag == TimeSpan.MaxValue ? double.PositiveInfinity : lag.TotalSeconds)}\n");

        Family(output, "scriptmon_alert_leader", "gauge", "1 while this instance leads the evaluation and delivery (holds the lease), else 0.");
        output.Write($"scriptmon_alert_leader{{instance=\"{ScriptMetricsWriter.Escape(engine.InstanceId)}\"}} {(engine.Lease is null ? "0" : "1")}\n");

        if (depth is not null)
        {
            Family(output, "scriptmon_outbox_pending", "gauge", "Notifications waiting for their first or next delivery attempt.");
            output.Write($"scriptmon_outbox_pending {depth.Pending.ToString(CultureInfo.InvariantCulture)}\n");

            Family(output, "scriptmon_outbox_oldest_age_seconds", "gauge", "How long the oldest waiting notification has waited; 0 when none waits.");
            var age = depth.OldestPendingAt is { } oldest && now > oldest ? (now - oldest).TotalSeconds : 0;
            output.Write($"scriptmon_outbox_oldest_age_seconds {Number(age)}\n");

            Family(output, "scriptmon_outbox_failed", "gauge", "Notifications given up on (every attempt failed, or the channel is gone).");
            output.Write($"scriptmon_outbox_failed {depth.Failed.ToString(CultureInfo.InvariantCulture)}\n");
        }

        Family(output, "scriptmon_notification_failures_total", "counter", "Delivery attempts this instance made that failed.");
        output.Write($"scriptmon_notification_failures_total {dispatcher.Failures.ToString(CultureInfo.InvariantCulture)}\n");
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Family(TextWriter output, string name, string type, string help) =>
        output.Write($"# HELP {name} {help}\n# TYPE {name} {type}\n");
}
