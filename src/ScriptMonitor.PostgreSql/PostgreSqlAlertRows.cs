using System.Data;
using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The SQL of the alert loop in PostgreSQL: states and kinds by name, structured values as <c>jsonb</c>
/// (<see cref="StoredAlerts"/>). The lease is judged by the database's clock (<c>now()</c>), which every instance
/// shares; a write under the lease holds the lease row shared until it commits, so the lease cannot change hands
/// between the check and the write.
/// </summary>
internal sealed class PostgreSqlAlertRows(PostgreSqlSession session) : IAlertRows
{
    private const string FlipColumns = "id, script_name, at, from_state, to_state, reason_state, reason_host, reason_message, facts, quiet";

    private const string NotificationColumns =
        "event_id, channel, script_name, kind, created_at, payload, flip_id, status, attempts, next_attempt_at, last_error, delivered_at";

    private const string ChannelColumns = "name, kind, settings, secrets, tags, scripts, repeat_every, created_at, broken_since, broken_reason";

    private const string WindowColumns = "name, script_name, tag, cron, starts_at, every, duration, time_zone, created_at";

    private const string Pending = nameof(NotificationStatus.Pending);

    private readonly string _schema = session.Quoted;

    public Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("read the change feed", async connection =>
        {
            await using var command = Command(
                connection,
                $"SELECT script_name, change_seq FROM {_schema}.script_changes WHERE change_seq > $1 ORDER BY change_seq LIMIT $2",
                BigInt(afterSequence),
                Integer(limit));
            return await ReadAllAsync(command, r => new ScriptChange(r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("take the alert lease", async connection =>
        {
            // One statement: renewed (same token) by its holder while it lasts; granted anew (next token) when nobody
            // holds it, it lapsed or was released; refused (no row) while another holds it.
            await using var command = Command(
                connection,
                $"""
                INSERT INTO {_schema}.leader_lease AS lease (id, holder, token, expires_at) VALUES (1, $1, 1, now() + $2)
                ON CONFLICT (id) DO UPDATE SET
                    token = CASE WHEN lease.holder = EXCLUDED.holder AND lease.expires_at > now() THEN lease.token ELSE lease.token + 1 END,
                    holder = EXCLUDED.holder,
                    expires_at = EXCLUDED.expires_at
                WHERE lease.holder = EXCLUDED.holder OR lease.expires_at <= now()
                RETURNING holder, token, expires_at
                """,
                Text(holder),
                Interval(duration));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Lease(reader) : null;
        }, cancellationToken);

    public Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("read the alert lease", async connection =>
        {
            await using var command = Command(connection, $"SELECT holder, token, expires_at FROM {_schema}.leader_lease WHERE id = 1");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Lease(reader) : null;
        }, cancellationToken);

    public Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("release the alert lease", async connection =>
        {
            await using var command = Command(
                connection,
                $"UPDATE {_schema}.leader_lease SET expires_at = now() WHERE id = 1 AND holder = $1 AND token = $2 AND expires_at > now()",
                Text(lease.Holder),
                BigInt(lease.Token));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<StateFlip> InsertFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("record a flip", async: true, async (connection, retried) =>
        {
            // A retry on a fresh connection finds the flip the first attempt committed by its first notification.
            if (retried && notifications.Count > 0 && await FlipOfAsync(connection, notifications[0].EventId, cancellationToken).ConfigureAwait(false) is { } id)
            {
                return flip with { Id = id };
            }

            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await CheckLeaseAsync(connection, lease, cancellationToken).ConfigureAwait(false);
            await using var command = Command(
                connection,
                $"INSERT INTO {_schema}.flips (script_name, at, from_state, to_state, reason_state, reason_host, reason_message, facts, quiet) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                Text(flip.ScriptName),
                TimestampTz(flip.At),
                Text(flip.From is { } from ? StoredAlerts.StateName(from) : null),
                Text(StoredAlerts.StateName(flip.To)),
                Text(StoredAlerts.StateName(flip.Reason.State)),
                Text(flip.Reason.Hostname),
                Text(flip.Reason.Message),
                Jsonb(StoredAlerts.FactsJson(flip.Reason.Facts)),
                Boolean(flip.Quiet));
            var flipId = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await InsertNotificationsAsync(connection, notifications, flipId, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return flip with { Id = flipId };
        }, cancellationToken).AsTask();

    public Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("read the latest flips", async connection =>
        {
            await using var command = Command(connection, $"SELECT DISTINCT ON (script_name) {FlipColumns} FROM {_schema}.flips ORDER BY script_name, id DESC");
            return await ReadAllAsync(command, Flip, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list flips", async connection =>
        {
            await using var command = Command(
                connection,
                $"SELECT {FlipColumns} FROM {_schema}.flips WHERE ($1::text IS NULL OR script_name = $1) AND ($2::timestamptz IS NULL OR at < $2) ORDER BY at DESC, id DESC LIMIT $3",
                Text(scriptName),
                TimestampTz(before),
                Integer(limit));
            return await ReadAllAsync(command, Flip, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task InsertNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("add notifications", async: true, async (connection, retried) =>
        {
            if (retried && await FlipOfAsync(connection, notifications[0].EventId, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }

            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await CheckLeaseAsync(connection, lease, cancellationToken).ConfigureAwait(false);
            await InsertNotificationsAsync(connection, notifications, flipId: null, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask();

    public Task<IReadOnlyList<Notification>> ClaimDueAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        session.InTransactionAsync<IReadOnlyList<Notification>>("claim due notifications", IsolationLevel.ReadCommitted, async connection =>
        {
            // A claim writes nothing: the lease is checked without holding its row, so a read-only standby answers it too.
            await CheckLeaseAsync(connection, lease, cancellationToken, holdRow: false).ConfigureAwait(false);
            await using var command = Command(
                connection,
                $"SELECT {NotificationColumns} FROM {_schema}.notifications WHERE status = '{Pending}' AND next_attempt_at <= $1 ORDER BY next_attempt_at, created_at, event_id LIMIT $2",
                TimestampTz(now),
                Integer(limit));
            return await ReadAllAsync(command, Notification, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken) =>
        session.InTransactionAsync("record a delivery", IsolationLevel.ReadCommitted, async connection =>
        {
            await CheckLeaseAsync(connection, lease, cancellationToken).ConfigureAwait(false);

            // A delivery is the truth whatever came before; a failure only moves a notification that still waits, so a
            // repeat of an attempt that raced a delivery never undoes it.
            var update = outcome.Delivered
                ? $"UPDATE {_schema}.notifications SET status = '{nameof(NotificationStatus.Delivered)}', attempts = attempts + 1, next_attempt_at = NULL, delivered_at = coalesce(delivered_at, $2) WHERE event_id = $1 RETURNING channel"
                : $"""
                  UPDATE {_schema}.notifications SET attempts = attempts + 1, last_error = $3,
                      status = CASE WHEN status = '{Pending}' THEN $4 ELSE status END,
                      next_attempt_at = CASE WHEN status = '{Pending}' THEN $5::timestamptz END
                  WHERE event_id = $1 RETURNING channel
                  """;
            await using var command = Command(
                connection,
                $"""
                WITH moved AS ({update}),
                attempt AS (
                    INSERT INTO {_schema}.delivery_attempts (event_id, at, delivered, error, retry_at, gone)
                    SELECT $1, $2, $6, $3, $5, $7 FROM moved),
                broken AS (
                    UPDATE {_schema}.channels SET broken_since = coalesce(broken_since, $2), broken_reason = coalesce(broken_reason, $3)
                    WHERE $7 AND name = (SELECT channel FROM moved))
                SELECT count(*) FROM moved
                """,
                Uuid(outcome.EventId),
                TimestampTz(outcome.AttemptedAt),
                Text(outcome.Error),
                Text(outcome.RetryAt is null ? nameof(NotificationStatus.Failed) : Pending),
                TimestampTz(outcome.RetryAt),
                Boolean(outcome.Delivered),
                Boolean(outcome.ChannelGone));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName, string? channelName, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list notifications", async connection =>
        {
            await using var command = Command(
                connection,
                $"""
                SELECT {NotificationColumns} FROM {_schema}.notifications
                WHERE ($1::text IS NULL OR script_name = $1) AND ($2::text IS NULL OR channel = $2) AND ($3::timestamptz IS NULL OR created_at < $3)
                ORDER BY created_at DESC, event_id DESC LIMIT $4
                """,
                Text(scriptName),
                Text(channelName),
                TimestampTz(before),
                Integer(limit));
            return await ReadAllAsync(command, Notification, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list delivery attempts", async connection =>
        {
            await using var command = Command(connection, $"SELECT at, delivered, error, retry_at, gone FROM {_schema}.delivery_attempts WHERE event_id = $1 ORDER BY id", Uuid(eventId));
            return await ReadAllAsync(
                command,
                r => new DeliveryOutcome(eventId, r.GetFieldValue<DateTimeOffset>(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetString(2))
                {
                    RetryAt = r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3),
                    ChannelGone = r.GetBoolean(4),
                },
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("read the outbox depth", async connection =>
        {
            await using var command = Command(
                connection,
                $"""
                SELECT (SELECT count(*) FROM {_schema}.notifications WHERE status = '{Pending}'),
                       (SELECT min(created_at) FROM {_schema}.notifications WHERE status = '{Pending}'),
                       (SELECT count(*) FROM {_schema}.notifications WHERE status = '{nameof(NotificationStatus.Failed)}')
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new OutboxDepth(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2));
        }, cancellationToken);

    public Task<bool> SaveChannelAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("save a channel", async connection =>
        {
            // A replaced channel starts afresh: whatever made it broken was fixed by the new settings, or will show again.
            await using var command = Command(
                connection,
                $"INSERT INTO {_schema}.channels ({ChannelColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL) ON CONFLICT (name) "
                + (replace
                    ? """
                      DO UPDATE SET kind = EXCLUDED.kind, settings = EXCLUDED.settings, secrets = EXCLUDED.secrets, tags = EXCLUDED.tags,
                          scripts = EXCLUDED.scripts, repeat_every = EXCLUDED.repeat_every, created_at = EXCLUDED.created_at,
                          broken_since = NULL, broken_reason = NULL
                      """
                    : "DO NOTHING"),
                Text(channel.Name),
                Text(channel.Kind.ToString()),
                Jsonb(StoredAlerts.MapJson(channel.Settings)),
                Jsonb(StoredAlerts.MapJson(channel.Secrets)),
                Jsonb(StoredAlerts.ListJson(channel.Tags)),
                Jsonb(StoredAlerts.ListJson(channel.ScriptNames)),
                Interval(channel.RepeatEvery),
                TimestampTz(channel.CreatedAt));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list channels", async connection =>
        {
            await using var command = Command(connection, $"SELECT {ChannelColumns} FROM {_schema}.channels ORDER BY name");
            return await ReadAllAsync(
                command,
                r => new AlertChannel(r.GetString(0), StoredAlerts.Parse<ChannelKind>(r.GetString(1)))
                {
                    Settings = StoredAlerts.Map(r.GetString(2)),
                    Secrets = StoredAlerts.Map(r.GetString(3)),
                    Tags = StoredAlerts.List(r.GetString(4)),
                    ScriptNames = StoredAlerts.List(r.GetString(5)),
                    RepeatEvery = r.IsDBNull(6) ? null : r.GetFieldValue<TimeSpan>(6),
                    CreatedAt = r.GetFieldValue<DateTimeOffset>(7),
                    BrokenSince = r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
                    BrokenReason = r.IsDBNull(9) ? null : r.GetString(9),
                },
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("remove a channel", async connection =>
        {
            await using var command = Command(
                connection,
                $"""
                WITH gone AS (DELETE FROM {_schema}.channels WHERE name = $1 RETURNING name),
                failed AS (
                    UPDATE {_schema}.notifications SET status = '{nameof(NotificationStatus.Failed)}', next_attempt_at = NULL, last_error = $2
                    WHERE channel = $1 AND status = '{Pending}' AND EXISTS (SELECT 1 FROM gone))
                SELECT count(*) FROM gone
                """,
                Text(name),
                Text($"The channel '{name}' was removed before this notification was delivered."));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);

    public Task<bool> SaveMaintenanceWindowAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("save a maintenance window", async connection =>
        {
            // One statement: the window, the window it replaced (read before the write, from the same snapshot), and
            // the scripts either was for moved up the feed.
            await using var command = Command(
                connection,
                $"""
                WITH replaced AS (SELECT script_name, tag FROM {_schema}.maintenance_windows WHERE name = $1 AND $10),
                saved AS (
                    INSERT INTO {_schema}.maintenance_windows AS w ({WindowColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    ON CONFLICT (name) DO {(replace
                        ? "UPDATE SET script_name = EXCLUDED.script_name, tag = EXCLUDED.tag, cron = EXCLUDED.cron, starts_at = EXCLUDED.starts_at, every = EXCLUDED.every, duration = EXCLUDED.duration, time_zone = EXCLUDED.time_zone, created_at = EXCLUDED.created_at"
                        : "NOTHING")}
                    RETURNING w.script_name, w.tag),
                targets AS (
                    SELECT script_name FROM (SELECT script_name, tag FROM saved UNION ALL SELECT script_name, tag FROM replaced WHERE EXISTS (SELECT 1 FROM saved)) AS t
                    WHERE script_name IS NOT NULL
                    UNION
                    SELECT e.script_name FROM {_schema}.expectations e
                    JOIN (SELECT tag FROM saved UNION SELECT tag FROM replaced WHERE EXISTS (SELECT 1 FROM saved)) AS t ON t.tag = ANY (e.tags)),
                {PostgreSqlChangeFeed.Cte(_schema, "targets")}
                SELECT count(*) FROM saved
                """,
                Text(window.Name),
                Text(window.ScriptName),
                Text(window.Tag),
                Text(window.Cron),
                TimestampTz(window.StartsAt),
                Interval(window.Every),
                Interval(window.Duration),
                Text(window.TimeZone),
                TimestampTz(window.CreatedAt),
                Boolean(replace));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list maintenance windows", async connection =>
        {
            await using var command = Command(connection, $"SELECT {WindowColumns} FROM {_schema}.maintenance_windows ORDER BY name");
            return await ReadAllAsync(
                command,
                r => new MaintenanceWindow(r.GetString(0))
                {
                    ScriptName = r.IsDBNull(1) ? null : r.GetString(1),
                    Tag = r.IsDBNull(2) ? null : r.GetString(2),
                    Cron = r.IsDBNull(3) ? null : r.GetString(3),
                    StartsAt = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
                    Every = r.IsDBNull(5) ? null : r.GetFieldValue<TimeSpan>(5),
                    Duration = r.IsDBNull(6) ? null : r.GetFieldValue<TimeSpan>(6),
                    TimeZone = r.GetString(7),
                    CreatedAt = r.GetFieldValue<DateTimeOffset>(8),
                },
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("remove a maintenance window", async connection =>
        {
            await using var command = Command(
                connection,
                $"""
                WITH gone AS (DELETE FROM {_schema}.maintenance_windows WHERE name = $1 RETURNING script_name, tag),
                targets AS (
                    SELECT script_name FROM gone WHERE script_name IS NOT NULL
                    UNION
                    SELECT e.script_name FROM {_schema}.expectations e JOIN gone ON gone.tag = ANY (e.tags)),
                {PostgreSqlChangeFeed.Cte(_schema, "targets")}
                SELECT count(*) FROM gone
                """,
                Text(name));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static LeaderLease Lease(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));

    private static StateFlip Flip(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetFieldValue<DateTimeOffset>(2),
        r.IsDBNull(3) ? null : StoredAlerts.State(r.GetString(3)),
        StoredAlerts.State(r.GetString(4)),
        new HealthReason(StoredAlerts.State(r.GetString(5)), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7)) { Facts = StoredAlerts.Facts(r.GetString(8)) })
    {
        Quiet = r.GetBoolean(9),
    };

    private static Notification Notification(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        r.GetString(2),
        StoredAlerts.Parse<NotificationKind>(r.GetString(3)),
        r.GetFieldValue<DateTimeOffset>(4),
        r.GetString(5))
    {
        FlipId = r.IsDBNull(6) ? null : r.GetInt64(6),
        Status = StoredAlerts.Parse<NotificationStatus>(r.GetString(7)),
        Attempts = r.GetInt32(8),
        NextAttemptAt = r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        LastError = r.IsDBNull(10) ? null : r.GetString(10),
        DeliveredAt = r.IsDBNull(11) ? null : r.GetFieldValue<DateTimeOffset>(11),
    };

    /// <summary>
    /// Refuses the write unless <paramref name="lease"/> is the stored lease, unlapsed by the database's clock. The row
    /// stays locked (shared) until the write's transaction ends: another instance's take waits for it, so the lease
    /// cannot change hands between this check and the commit.
    /// </summary>
    private async ValueTask CheckLeaseAsync(NpgsqlConnection connection, LeaderLease lease, CancellationToken cancellationToken, bool holdRow = true)
    {
        await using var command = Command(
            connection,
            $"SELECT count(*) FROM (SELECT 1 FROM {_schema}.leader_lease WHERE id = 1 AND holder = $1 AND token = $2 AND expires_at > now(){(holdRow ? " FOR SHARE" : string.Empty)}) AS held",
            Text(lease.Holder),
            BigInt(lease.Token));
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            throw new LeaseLostException($"The alert lease of '{lease.Holder}' (token {lease.Token}) is no longer current: it lapsed or another instance holds it now.");
        }
    }

    /// <summary>The flip a stored notification belongs to (0 for none), or null when no notification has the event id.</summary>
    private async ValueTask<long?> FlipOfAsync(NpgsqlConnection connection, Guid eventId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT coalesce(flip_id, 0) FROM {_schema}.notifications WHERE event_id = $1", Uuid(eventId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : null;
    }

    private async ValueTask InsertNotificationsAsync(NpgsqlConnection connection, IReadOnlyList<Notification> notifications, long? flipId, CancellationToken cancellationToken)
    {
        if (notifications.Count == 0)
        {
            return;
        }

        await using var command = Command(
            connection,
            $"""
            INSERT INTO {_schema}.notifications ({NotificationColumns})
            SELECT id, channel, script, kind, created, payload, $7, '{Pending}', 0, next, NULL, NULL
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $8::timestamptz[]) AS n (id, channel, script, kind, created, payload, next)
            ON CONFLICT (event_id) DO NOTHING
            """,
            new NpgsqlParameter { Value = notifications.Select(n => n.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
            TextArray(notifications.Select(n => n.ChannelName)),
            TextArray(notifications.Select(n => n.ScriptName)),
            TextArray(notifications.Select(n => n.Kind.ToString())),
            new NpgsqlParameter { Value = notifications.Select(n => n.CreatedAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
            TextArray(notifications.Select(n => n.Payload)),
            BigInt(flipId),
            new NpgsqlParameter { Value = notifications.Select(n => n.NextAttemptAt ?? n.CreatedAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (inserted != notifications.Count)
        {
            // The caller's transaction is rolled back whole: an event id is the receiver's key for dropping repeats, never reused.
            throw new InvalidOperationException($"{notifications.Count - inserted} of the notifications have an event id that is in the outbox already; nothing was written.");
        }
    }
}
