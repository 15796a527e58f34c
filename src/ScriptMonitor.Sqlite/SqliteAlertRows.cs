using System.Globalization;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.Sqlite.SqliteRows;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The SQL of the alert loop in the SQLite file: instants and durations in microseconds like the runs, states and
/// kinds by name, structured values as JSON (<see cref="StoredAlerts"/>). The lease's expiry is judged by the store's
/// clock: every process that shares the file runs on this host, so they share the clock too.
/// </summary>
internal sealed class SqliteAlertRows(SqliteSession session, TimeProvider timeProvider) : IAlertRows
{
    private const string FlipColumns = "id, script_name, at, from_state, to_state, reason_state, reason_host, reason_message, facts, quiet";

    private const string NotificationColumns =
        "event_id, channel, script_name, kind, created_at, payload, flip_id, status, attempts, next_attempt_at, last_error, delivered_at";

    private const string ChannelColumns = "name, kind, settings, secrets, tags, scripts, repeat_every_us, created_at, broken_since, broken_reason";

    private const string WindowColumns = "name, script_name, tag, cron, starts_at, every_us, duration_us, time_zone, created_at";

    private const string Pending = nameof(NotificationStatus.Pending);

    private readonly SqliteChangeFeed _feed = new(session);

    private long NowMicroseconds => Timestamps.ToUnixMicroseconds(Timestamps.Normalize(timeProvider.GetUtcNow()));

    public Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptChange>>(session.Use(_ =>
        {
            using var command = session.Command("SELECT script_name, change_seq FROM script_changes WHERE change_seq > $after ORDER BY change_seq LIMIT $limit");
            command.Parameters.AddWithValue("$after", afterSequence);
            command.Parameters.AddWithValue("$limit", limit);
            var changes = new List<ScriptChange>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                changes.Add(new ScriptChange(reader.GetString(0), reader.GetInt64(1)));
            }

            return changes;
        }));

    public Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            var now = NowMicroseconds;
            var expires = now + Microseconds(duration);
            var stored = ReadLease(transaction);
            long token;
            if (stored is null)
            {
                token = 1;
            }
            else if (Timestamps.ToUnixMicroseconds(stored.ExpiresAt) > now)
            {
                if (!string.Equals(stored.Holder, holder, StringComparison.Ordinal))
                {
                    return null;
                }

                token = stored.Token;
            }
            else
            {
                // Lapsed or released: granted anew, so a write still in flight under the old grant is refused.
                token = stored.Token + 1;
            }

            using var command = session.Command(
                """
                INSERT INTO leader_lease (id, holder, token, expires_at) VALUES (1, $holder, $token, $expires)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
                """,
                transaction);
            command.Parameters.AddWithValue("$holder", holder);
            command.Parameters.AddWithValue("$token", token);
            command.Parameters.AddWithValue("$expires", expires);
            command.ExecuteNonQuery();
            return new LeaderLease(holder, token, Timestamps.FromUnixMicroseconds(expires));
        }));

    public Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult(session.Use(_ => ReadLease(transaction: null)));

    public Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken)
    {
        session.Use(_ =>
        {
            using var command = session.Command("UPDATE leader_lease SET expires_at = $now WHERE id = 1 AND holder = $holder AND token = $token AND expires_at > $now");
            command.Parameters.AddWithValue("$now", NowMicroseconds);
            command.Parameters.AddWithValue("$holder", lease.Holder);
            command.Parameters.AddWithValue("$token", lease.Token);
            return command.ExecuteNonQuery();
        });
        return Task.CompletedTask;
    }

    public Task<StateFlip> InsertFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            CheckLease(lease, transaction);
            using var command = session.Command(
                $"INSERT INTO flips ({FlipColumns}) VALUES (NULL, $script, $at, $from, $to, $reason_state, $reason_host, $message, $facts, $quiet) RETURNING id",
                transaction);
            command.Parameters.AddWithValue("$script", flip.ScriptName);
            command.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(flip.At));
            command.Parameters.AddWithValue("$from", flip.From is { } from ? StoredAlerts.StateName(from) : DBNull.Value);
            command.Parameters.AddWithValue("$to", StoredAlerts.StateName(flip.To));
            command.Parameters.AddWithValue("$reason_state", StoredAlerts.StateName(flip.Reason.State));
            command.Parameters.AddWithValue("$reason_host", OrNull(flip.Reason.Hostname));
            command.Parameters.AddWithValue("$message", flip.Reason.Message);
            command.Parameters.AddWithValue("$facts", StoredAlerts.FactsJson(flip.Reason.Facts));
            command.Parameters.AddWithValue("$quiet", flip.Quiet ? 1 : 0);
            var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            InsertNotifications(notifications, id, transaction);
            return flip with { Id = id };
        }));

    public Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StateFlip>>(session.Use(_ =>
        {
            using var command = session.Command($"SELECT {FlipColumns} FROM flips WHERE id IN (SELECT max(id) FROM flips GROUP BY script_name) ORDER BY script_name");
            return Flips(command);
        }));

    public Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StateFlip>>(session.Use(_ =>
        {
            using var command = session.Command(
                $"SELECT {FlipColumns} FROM flips WHERE ($script IS NULL OR script_name = $script) AND ($before IS NULL OR at < $before) ORDER BY at DESC, id DESC LIMIT $limit");
            command.Parameters.AddWithValue("$script", OrNull(scriptName));
            command.Parameters.AddWithValue("$before", before is { } b ? Timestamps.ToUnixMicroseconds(b) : DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            return Flips(command);
        }));

    public Task InsertNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken)
    {
        session.InTransaction(write: true, transaction =>
        {
            CheckLease(lease, transaction);
            InsertNotifications(notifications, flipId: null, transaction);
            return true;
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Notification>> ClaimDueAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Notification>>(session.InTransaction(write: false, transaction =>
        {
            CheckLease(lease, transaction);
            using var command = session.Command(
                $"SELECT {NotificationColumns} FROM notifications WHERE status = '{Pending}' AND next_attempt_at <= $now ORDER BY next_attempt_at, created_at, rowid LIMIT $limit",
                transaction);
            command.Parameters.AddWithValue("$now", Timestamps.ToUnixMicroseconds(now));
            command.Parameters.AddWithValue("$limit", limit);
            return Notifications(command);
        }));

    public Task<bool> RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            CheckLease(lease, transaction);
            var eventId = outcome.EventId.ToByteArray();
            using var find = session.Command("SELECT channel FROM notifications WHERE event_id = $id", transaction);
            find.Parameters.AddWithValue("$id", eventId);
            if (find.ExecuteScalar() is not string channel)
            {
                return false;
            }

            var at = Timestamps.ToUnixMicroseconds(outcome.AttemptedAt);
            using var attempt = session.Command(
                "INSERT INTO delivery_attempts (event_id, at, delivered, error, retry_at, gone) VALUES ($id, $at, $delivered, $error, $retry, $gone)",
                transaction);
            attempt.Parameters.AddWithValue("$id", eventId);
            attempt.Parameters.AddWithValue("$at", at);
            attempt.Parameters.AddWithValue("$delivered", outcome.Delivered ? 1 : 0);
            attempt.Parameters.AddWithValue("$error", OrNull(outcome.Error));
            attempt.Parameters.AddWithValue("$retry", outcome.RetryAt is { } r ? Timestamps.ToUnixMicroseconds(r) : DBNull.Value);
            attempt.Parameters.AddWithValue("$gone", outcome.ChannelGone ? 1 : 0);
            attempt.ExecuteNonQuery();

            // A delivery is the truth whatever came before; a failure only moves a notification that still waits, so a
            // repeat of an attempt that raced a delivery never undoes it.
            using var update = session.Command(
                outcome.Delivered
                    ? $"UPDATE notifications SET status = '{nameof(NotificationStatus.Delivered)}', attempts = attempts + 1, next_attempt_at = NULL, delivered_at = coalesce(delivered_at, $at) WHERE event_id = $id"
                    : $"""
                      UPDATE notifications SET attempts = attempts + 1, last_error = $error,
                          status = CASE WHEN status = '{Pending}' THEN $status ELSE status END,
                          next_attempt_at = CASE WHEN status = '{Pending}' THEN $retry END
                      WHERE event_id = $id
                      """,
                transaction);
            update.Parameters.AddWithValue("$id", eventId);
            update.Parameters.AddWithValue("$at", at);
            update.Parameters.AddWithValue("$error", OrNull(outcome.Error));
            update.Parameters.AddWithValue("$status", outcome.RetryAt is null ? nameof(NotificationStatus.Failed) : Pending);
            update.Parameters.AddWithValue("$retry", outcome.RetryAt is { } retry ? Timestamps.ToUnixMicroseconds(retry) : DBNull.Value);
            update.ExecuteNonQuery();

            if (outcome.ChannelGone)
            {
                using var broken = session.Command(
                    "UPDATE channels SET broken_since = coalesce(broken_since, $at), broken_reason = coalesce(broken_reason, $error) WHERE name = $name",
                    transaction);
                broken.Parameters.AddWithValue("$at", at);
                broken.Parameters.AddWithValue("$error", OrNull(outcome.Error));
                broken.Parameters.AddWithValue("$name", channel);
                broken.ExecuteNonQuery();
            }

            return true;
        }));

    public Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName, string? channelName, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Notification>>(session.Use(_ =>
        {
            using var command = session.Command(
                $"""
                SELECT {NotificationColumns} FROM notifications
                WHERE ($script IS NULL OR script_name = $script) AND ($channel IS NULL OR channel = $channel) AND ($before IS NULL OR created_at < $before)
                ORDER BY created_at DESC, rowid DESC LIMIT $limit
                """);
            command.Parameters.AddWithValue("$script", OrNull(scriptName));
            command.Parameters.AddWithValue("$channel", OrNull(channelName));
            command.Parameters.AddWithValue("$before", before is { } b ? Timestamps.ToUnixMicroseconds(b) : DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            return Notifications(command);
        }));

    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeliveryOutcome>>(session.Use(_ =>
        {
            using var command = session.Command("SELECT at, delivered, error, retry_at, gone FROM delivery_attempts WHERE event_id = $id ORDER BY id");
            command.Parameters.AddWithValue("$id", eventId.ToByteArray());
            var attempts = new List<DeliveryOutcome>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                attempts.Add(new DeliveryOutcome(eventId, Timestamps.FromUnixMicroseconds(reader.GetInt64(0)), reader.GetInt64(1) != 0, reader.IsDBNull(2) ? null : reader.GetString(2))
                {
                    RetryAt = reader.IsDBNull(3) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(3)),
                    ChannelGone = reader.GetInt64(4) != 0,
                });
            }

            return attempts;
        }));

    public Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken) =>
        Task.FromResult(session.Use(_ =>
        {
            using var command = session.Command(
                $"""
                SELECT (SELECT count(*) FROM notifications WHERE status = '{Pending}'),
                       (SELECT min(created_at) FROM notifications WHERE status = '{Pending}'),
                       (SELECT count(*) FROM notifications WHERE status = '{nameof(NotificationStatus.Failed)}')
                """);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new OutboxDepth(reader.GetInt64(0), reader.IsDBNull(1) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(1)), reader.GetInt64(2));
        }));

    public Task<bool> SaveChannelAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            // A replaced channel starts afresh: whatever made it broken was fixed by the new settings, or will show again.
            using var command = session.Command(
                $"INSERT {(replace ? "OR REPLACE " : string.Empty)}INTO channels ({ChannelColumns}) VALUES ($name, $kind, $settings, $secrets, $tags, $scripts, $repeat, $created, NULL, NULL)"
                + (replace ? string.Empty : " ON CONFLICT (name) DO NOTHING"),
                transaction);
            command.Parameters.AddWithValue("$name", channel.Name);
            command.Parameters.AddWithValue("$kind", channel.Kind.ToString());
            command.Parameters.AddWithValue("$settings", StoredAlerts.MapJson(channel.Settings));
            command.Parameters.AddWithValue("$secrets", StoredAlerts.MapJson(channel.Secrets));
            command.Parameters.AddWithValue("$tags", StoredAlerts.ListJson(channel.Tags));
            command.Parameters.AddWithValue("$scripts", StoredAlerts.ListJson(channel.ScriptNames));
            command.Parameters.AddWithValue("$repeat", channel.RepeatEvery is { } repeat ? Microseconds(repeat) : DBNull.Value);
            command.Parameters.AddWithValue("$created", Timestamps.ToUnixMicroseconds(channel.CreatedAt));
            return command.ExecuteNonQuery() > 0;
        }));

    public Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertChannel>>(session.Use(_ =>
        {
            using var command = session.Command($"SELECT {ChannelColumns} FROM channels ORDER BY name");
            var channels = new List<AlertChannel>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                channels.Add(new AlertChannel(reader.GetString(0), StoredAlerts.Parse<ChannelKind>(reader.GetString(1)))
                {
                    Settings = StoredAlerts.Map(reader.GetString(2)),
                    Secrets = StoredAlerts.Map(reader.GetString(3)),
                    Tags = StoredAlerts.List(reader.GetString(4)),
                    ScriptNames = StoredAlerts.List(reader.GetString(5)),
                    RepeatEvery = reader.IsDBNull(6) ? null : FromMicroseconds(reader.GetInt64(6)),
                    CreatedAt = Timestamps.FromUnixMicroseconds(reader.GetInt64(7)),
                    BrokenSince = reader.IsDBNull(8) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(8)),
                    BrokenReason = reader.IsDBNull(9) ? null : reader.GetString(9),
                });
            }

            channels.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return channels;
        }));

    public Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using var delete = session.Command("DELETE FROM channels WHERE name = $name", transaction);
            delete.Parameters.AddWithValue("$name", name);
            if (delete.ExecuteNonQuery() == 0)
            {
                return false;
            }

            using var fail = session.Command(
                $"UPDATE notifications SET status = '{nameof(NotificationStatus.Failed)}', next_attempt_at = NULL, last_error = $error WHERE channel = $name AND status = '{Pending}'",
                transaction);
            fail.Parameters.AddWithValue("$name", name);
            fail.Parameters.AddWithValue("$error", $"The channel '{name}' was removed before this notification was delivered.");
            fail.ExecuteNonQuery();
            return true;
        }));

    public Task<bool> SaveMaintenanceWindowAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            var replaced = replace ? ReadWindow(window.Name, transaction) : null;
            using var command = session.Command(
                $"INSERT {(replace ? "OR REPLACE " : string.Empty)}INTO maintenance_windows ({WindowColumns}) VALUES ($name, $script, $tag, $cron, $starts, $every, $duration, $zone, $created)"
                + (replace ? string.Empty : " ON CONFLICT (name) DO NOTHING"),
                transaction);
            command.Parameters.AddWithValue("$name", window.Name);
            command.Parameters.AddWithValue("$script", OrNull(window.ScriptName));
            command.Parameters.AddWithValue("$tag", OrNull(window.Tag));
            command.Parameters.AddWithValue("$cron", OrNull(window.Cron));
            command.Parameters.AddWithValue("$starts", window.StartsAt is { } starts ? Timestamps.ToUnixMicroseconds(starts) : DBNull.Value);
            command.Parameters.AddWithValue("$every", window.Every is { } every ? Microseconds(every) : DBNull.Value);
            command.Parameters.AddWithValue("$duration", window.Duration is { } duration ? Microseconds(duration) : DBNull.Value);
            command.Parameters.AddWithValue("$zone", window.TimeZone);
            command.Parameters.AddWithValue("$created", Timestamps.ToUnixMicroseconds(window.CreatedAt));
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            if (replaced is not null)
            {
                BumpTargets(replaced, transaction);
            }

            BumpTargets(window, transaction);
            return true;
        }));

    public Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MaintenanceWindow>>(session.Use(_ =>
        {
            using var command = session.Command($"SELECT {WindowColumns} FROM maintenance_windows");
            var windows = new List<MaintenanceWindow>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                windows.Add(Window(reader));
            }

            windows.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return windows;
        }));

    public Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            if (ReadWindow(name, transaction) is not { } window)
            {
                return false;
            }

            using var command = session.Command("DELETE FROM maintenance_windows WHERE name = $name", transaction);
            command.Parameters.AddWithValue("$name", name);
            command.ExecuteNonQuery();
            BumpTargets(window, transaction);
            return true;
        }));

    private static List<StateFlip> Flips(SqliteCommand command)
    {
        var flips = new List<StateFlip>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var reason = new HealthReason(StoredAlerts.State(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7))
            {
                Facts = StoredAlerts.Facts(reader.GetString(8)),
            };
            flips.Add(new StateFlip(
                reader.GetInt64(0),
                reader.GetString(1),
                Timestamps.FromUnixMicroseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : StoredAlerts.State(reader.GetString(3)),
                StoredAlerts.State(reader.GetString(4)),
                reason)
            {
                Quiet = reader.GetInt64(9) != 0,
            });
        }

        return flips;
    }

    private static List<Notification> Notifications(SqliteCommand command)
    {
        var notifications = new List<Notification>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            notifications.Add(new Notification(
                new Guid(reader.GetFieldValue<byte[]>(0)),
                reader.GetString(1),
                reader.GetString(2),
                StoredAlerts.Parse<NotificationKind>(reader.GetString(3)),
                Timestamps.FromUnixMicroseconds(reader.GetInt64(4)),
                reader.GetString(5))
            {
                FlipId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                Status = StoredAlerts.Parse<NotificationStatus>(reader.GetString(7)),
                Attempts = reader.GetInt32(8),
                NextAttemptAt = reader.IsDBNull(9) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(9)),
                LastError = reader.IsDBNull(10) ? null : reader.GetString(10),
                DeliveredAt = reader.IsDBNull(11) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(11)),
            });
        }

        return notifications;
    }

    private static MaintenanceWindow Window(SqliteDataReader reader) => new(reader.GetString(0))
    {
        ScriptName = reader.IsDBNull(1) ? null : reader.GetString(1),
        Tag = reader.IsDBNull(2) ? null : reader.GetString(2),
        Cron = reader.IsDBNull(3) ? null : reader.GetString(3),
        StartsAt = reader.IsDBNull(4) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(4)),
        Every = reader.IsDBNull(5) ? null : FromMicroseconds(reader.GetInt64(5)),
        Duration = reader.IsDBNull(6) ? null : FromMicroseconds(reader.GetInt64(6)),
        TimeZone = reader.GetString(7),
        CreatedAt = Timestamps.FromUnixMicroseconds(reader.GetInt64(8)),
    };

    private MaintenanceWindow? ReadWindow(string name, SqliteTransaction transaction)
    {
        using var command = session.Command($"SELECT {WindowColumns} FROM maintenance_windows WHERE name = $name", transaction);
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Window(reader) : null;
    }

    /// <summary>Moves the scripts a window is for up the change feed: the loop evaluates them again with or without it.</summary>
    private void BumpTargets(MaintenanceWindow window, SqliteTransaction transaction)
    {
        if (window.ScriptName is { } script)
        {
            _feed.Bump(script, transaction);
        }
        else if (window.Tag is { } tag)
        {
            SqliteChangeFeed.BumpTagged(session, tag, transaction);
        }
    }

    private LeaderLease? ReadLease(SqliteTransaction? transaction)
    {
        using var command = session.Command("SELECT holder, token, expires_at FROM leader_lease WHERE id = 1", transaction);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new LeaderLease(reader.GetString(0), reader.GetInt64(1), Timestamps.FromUnixMicroseconds(reader.GetInt64(2))) : null;
    }

    /// <summary>Refuses the write unless <paramref name="lease"/> is the stored lease, unlapsed; inside the write's transaction, so nothing is written.</summary>
    private void CheckLease(LeaderLease lease, SqliteTransaction transaction)
    {
        using var command = session.Command("SELECT count(*) FROM leader_lease WHERE id = 1 AND holder = $holder AND token = $token AND expires_at > $now", transaction);
        command.Parameters.AddWithValue("$holder", lease.Holder);
        command.Parameters.AddWithValue("$token", lease.Token);
        command.Parameters.AddWithValue("$now", NowMicroseconds);
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            throw new LeaseLostException($"The alert lease of '{lease.Holder}' (token {lease.Token}) is no longer current: it lapsed or another instance holds it now.");
        }
    }

    private void InsertNotifications(IReadOnlyList<Notification> notifications, long? flipId, SqliteTransaction transaction)
    {
        if (notifications.Count == 0)
        {
            return;
        }

        using var command = session.Command(
            $"INSERT INTO notifications ({NotificationColumns}) VALUES ($id, $channel, $script, $kind, $created, $payload, $flip, '{Pending}', 0, $next, NULL, NULL) ON CONFLICT (event_id) DO NOTHING",
            transaction);
        var p = command.Parameters;
        foreach (var name in (string[])["$id", "$channel", "$script", "$kind", "$created", "$payload", "$flip", "$next"])
        {
            p.Add(new SqliteParameter { ParameterName = name });
        }

        foreach (var n in notifications)
        {
            p[0].Value = n.EventId.ToByteArray();
            p[1].Value = n.ChannelName;
            p[2].Value = n.ScriptName;
            p[3].Value = n.Kind.ToString();
            p[4].Value = Timestamps.ToUnixMicroseconds(n.CreatedAt);
            p[5].Value = n.Payload;
            p[6].Value = flipId is { } id ? id : DBNull.Value;
            p[7].Value = Timestamps.ToUnixMicroseconds(n.NextAttemptAt ?? n.CreatedAt);
            if (command.ExecuteNonQuery() == 0)
            {
                // The transaction rolls back whole: an event id is the receiver's key for dropping repeats, never reused.
                throw new InvalidOperationException($"A notification with the event id {n.EventId} is in the outbox already; nothing was written.");
            }
        }
    }
}
