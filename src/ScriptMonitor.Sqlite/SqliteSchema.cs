using System.Globalization;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The schema, kept as versioned SQL. The version lives in SQLite's <c>user_version</c>, the oldest writer version the
/// store accepts in <c>schema_compatibility</c>; a migration runs inside one immediate transaction so that processes
/// opening the same new file at once apply it exactly once.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Migration N takes the schema from version N to N+1; append, never edit.</summary>
    internal static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(
            "runs and scripts",
            """
            CREATE TABLE scripts (
                name TEXT NOT NULL PRIMARY KEY
            ) WITHOUT ROWID;

            CREATE TABLE runs (
                id           INTEGER PRIMARY KEY,
                run_id       BLOB    NOT NULL UNIQUE,
                script_name  TEXT    NOT NULL,
                hostname     TEXT    NOT NULL,
                started_at   INTEGER NOT NULL,
                completed_at INTEGER,
                outcome      INTEGER NOT NULL CHECK (outcome IN (0, 1, 2)),
                exit_code    INTEGER,
                output       TEXT
            );

            -- Last success / last failure of a script: one index seek from the end of its (outcome) range.
            CREATE INDEX runs_by_script_outcome_start ON runs (script_name, outcome, started_at);
            -- Windows of a script's history, any outcome, newest first.
            CREATE INDEX runs_by_script_start ON runs (script_name, started_at);
            """),
        new(
            "expectations and the health history read",
            """
            -- Expectations: one row per script; durations and instants in microseconds like the runs. Host and tag
            -- lists are sorted and joined with newlines, which names cannot contain.
            CREATE TABLE expectations (
                script_name        TEXT    NOT NULL PRIMARY KEY,
                period_us          INTEGER,
                cron               TEXT,
                time_zone          TEXT,
                grace_us           INTEGER NOT NULL,
                min_runtime_us     INTEGER,
                max_runtime_us     INTEGER,
                host_mode          INTEGER NOT NULL CHECK (host_mode IN (0, 1, 2)),
                hosts              TEXT    NOT NULL,
                min_hosts          INTEGER NOT NULL,
                failures_tolerated INTEGER NOT NULL,
                paused             INTEGER NOT NULL CHECK (paused IN (0, 1)),
                paused_until       INTEGER,
                tags               TEXT    NOT NULL,
                updated_at         INTEGER NOT NULL,
                CHECK ((period_us IS NULL) OR (cron IS NULL))
            ) WITHOUT ROWID;

            -- A script's newest runs with all the health evaluation reads, from the index alone. It starts with
            -- (script_name, started_at), so it replaces the index of that prefix.
            CREATE INDEX runs_history ON runs (script_name, started_at, outcome, completed_at, hostname, exit_code);
            DROP INDEX runs_by_script_start;
            -- The last success of a script on one host: one seek.
            CREATE INDEX runs_by_script_host_outcome_start ON runs (script_name, hostname, outcome, started_at);
            -- Runs in progress, however old: few rows, so a small partial index.
            CREATE INDEX runs_in_progress ON runs (script_name, started_at) WHERE outcome = 0;
            """),
        new(
            "runners, abandoned runs and skipped runs",
            """
            -- Who runs a run in progress, so that a scriptmon on the same host can tell a dead run from a live one.
            ALTER TABLE runs ADD COLUMN runner_boot_id TEXT;
            ALTER TABLE runs ADD COLUMN runner_pid     INTEGER;
            ALTER TABLE runs ADD COLUMN runner_started INTEGER;
            ALTER TABLE runs ADD COLUMN runner_pid_ns  TEXT;

            -- Runs that did not start because another run held the script's lock.
            CREATE TABLE skips (
                id          INTEGER PRIMARY KEY,
                event_id    BLOB    NOT NULL UNIQUE,
                script_name TEXT    NOT NULL,
                hostname    TEXT    NOT NULL,
                skipped_at  INTEGER NOT NULL,
                holder      TEXT    NOT NULL
            );
            CREATE INDEX skips_by_script_time ON skips (script_name, skipped_at);
            """),
        new(
            "abandonment bound and skips before an alert in expectations",
            """
            -- How long a run may stay in progress before it is presumed abandoned (null: the default bound), and how many
            -- runs skipped in a row for a held lock make an alert.
            ALTER TABLE expectations ADD COLUMN abandon_after_us   INTEGER;
            ALTER TABLE expectations ADD COLUMN skips_before_alert INTEGER NOT NULL DEFAULT 3;
            """),
        new(
            "the oldest writer the store accepts",
            """
            -- The oldest schema version whose builds may still write this store (see SchemaCompatibility): one row,
            -- rewritten by every migration. A build that knows an older version than the store's reads it to tell
            -- whether it may carry on.
            CREATE TABLE schema_compatibility (
                oldest_writer_version INTEGER NOT NULL
            );
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "API keys and the audit list",
            """
            -- API keys: never the secret, only its SHA-256 hash, found by a unique index in one lookup. A name is unique
            -- among the keys not revoked, so a revoked key's name may be given to a new one.
            CREATE TABLE api_keys (
                id              TEXT    NOT NULL PRIMARY KEY,
                name            TEXT    NOT NULL,
                scope           INTEGER NOT NULL CHECK (scope IN (0, 1, 2)),
                script_patterns TEXT    NOT NULL,
                secret_hash     BLOB    NOT NULL,
                created_at      INTEGER NOT NULL,
                created_by      TEXT    NOT NULL,
                revoked_at      INTEGER
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX api_keys_by_secret_hash ON api_keys (secret_hash);
            CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;

            -- Who changed what, newest first.
            CREATE TABLE audit_log (
                id     INTEGER PRIMARY KEY,
                at     INTEGER NOT NULL,
                actor  TEXT    NOT NULL,
                action TEXT    NOT NULL,
                target TEXT    NOT NULL,
                detail TEXT
            );
            CREATE INDEX audit_log_by_time ON audit_log (at, id);
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "when and how a run reached the server",
            """
            -- Set by a server that received the run (null for a run a local scriptmon wrote): its clock at receipt, in
            -- microseconds; whether the client's instants were more than RunArrival.ClockSkewTolerance after it; and
            -- whether it came live or late from a client's spool.
            ALTER TABLE runs ADD COLUMN received_at INTEGER;
            ALTER TABLE runs ADD COLUMN clock_skew  INTEGER CHECK (clock_skew IN (0, 1));
            ALTER TABLE runs ADD COLUMN delivery    TEXT    CHECK (delivery IN ('live', 'spool'));
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "one script-ordered index on runs",
            """
            -- Every run written pays for every index; the two (script, outcome)-first indexes made an insert touch two
            -- more random pages, half the cost of a committed run. runs_history serves the same reads: the last run of
            -- an outcome (on a host) is the first match of a backward walk of the script's newest runs, which holds
            -- outcome and hostname in the index itself.
            DROP INDEX runs_by_script_outcome_start;
            DROP INDEX runs_by_script_host_outcome_start;
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "the alert loop: change feed, flips, outbox, channels, maintenance windows, leader lease",
            """
            -- The change feed: every write of a script's runs, skips or expectation (and of a maintenance window for it)
            -- gives the script the next number, max + 1 under the write lock, so numbers grow in commit order. Its own
            -- table rather than a column of scripts: a script with only an expectation has no row in scripts, and must
            -- not get one (it would be listed, and stay listed after the expectation goes). Existing scripts are
            -- numbered once, so that a reader starting at 0 sees every one.
            CREATE TABLE script_changes (
                script_name TEXT    NOT NULL PRIMARY KEY,
                change_seq  INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX script_changes_by_seq ON script_changes (change_seq);
            INSERT INTO script_changes (script_name, change_seq)
                SELECT name, ROW_NUMBER() OVER (ORDER BY name)
                FROM (SELECT name FROM scripts UNION SELECT script_name FROM expectations);

            -- Every change of a script's evaluated state; states by name, facts as JSON, instants in microseconds.
            CREATE TABLE flips (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                script_name    TEXT    NOT NULL,
                at             INTEGER NOT NULL,
                from_state     TEXT,
                to_state       TEXT    NOT NULL,
                reason_state   TEXT    NOT NULL,
                reason_host    TEXT,
                reason_message TEXT    NOT NULL,
                facts          TEXT    NOT NULL,
                quiet          INTEGER NOT NULL CHECK (quiet IN (0, 1))
            );
            CREATE INDEX flips_by_script ON flips (script_name, at, id);
            CREATE INDEX flips_by_time ON flips (at, id);

            -- The outbox: one row per notification per channel, written with its flip, delivered at least once.
            CREATE TABLE notifications (
                event_id        BLOB    NOT NULL PRIMARY KEY,
                channel         TEXT    NOT NULL,
                script_name     TEXT    NOT NULL,
                kind            TEXT    NOT NULL,
                created_at      INTEGER NOT NULL,
                payload         TEXT    NOT NULL,
                flip_id         INTEGER,
                status          TEXT    NOT NULL CHECK (status IN ('Pending', 'Delivered', 'Failed')),
                attempts        INTEGER NOT NULL,
                next_attempt_at INTEGER,
                last_error      TEXT,
                delivered_at    INTEGER
            );
            -- What the dispatcher claims: few rows, so a small partial index.
            CREATE INDEX notifications_due ON notifications (next_attempt_at, created_at) WHERE status = 'Pending';
            CREATE INDEX notifications_by_time ON notifications (created_at);
            CREATE INDEX notifications_by_script ON notifications (script_name, created_at);
            CREATE INDEX notifications_by_channel ON notifications (channel, created_at);
            -- The outbox's depth for the monitor's metrics, without a scan of every notification ever sent.
            CREATE INDEX notifications_failed ON notifications (created_at) WHERE status = 'Failed';

            -- Every attempt to deliver a notification, kept.
            CREATE TABLE delivery_attempts (
                id        INTEGER PRIMARY KEY,
                event_id  BLOB    NOT NULL,
                at        INTEGER NOT NULL,
                delivered INTEGER NOT NULL CHECK (delivered IN (0, 1)),
                error     TEXT,
                retry_at  INTEGER,
                gone      INTEGER NOT NULL CHECK (gone IN (0, 1))
            );
            CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id, id);

            -- Where notifications go: settings, secrets and the routing lists as JSON.
            CREATE TABLE channels (
                name            TEXT    NOT NULL PRIMARY KEY,
                kind            TEXT    NOT NULL,
                settings        TEXT    NOT NULL,
                secrets         TEXT    NOT NULL,
                tags            TEXT    NOT NULL,
                scripts         TEXT    NOT NULL,
                repeat_every_us INTEGER,
                created_at      INTEGER NOT NULL,
                broken_since    INTEGER,
                broken_reason   TEXT
            ) WITHOUT ROWID;

            -- When a script, or every script with a tag, is not expected to behave.
            CREATE TABLE maintenance_windows (
                name        TEXT    NOT NULL PRIMARY KEY,
                script_name TEXT,
                tag         TEXT,
                cron        TEXT,
                starts_at   INTEGER,
                every_us    INTEGER,
                duration_us INTEGER,
                time_zone   TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                CHECK ((script_name IS NULL) <> (tag IS NULL))
            ) WITHOUT ROWID;

            -- Who evaluates and delivers: one row; the token grows each time the lease is granted anew.
            CREATE TABLE leader_lease (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                holder     TEXT    NOT NULL,
                token      INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """)
        {
            // Only adds: a build of version 8 still writes runs, but they reach the loop by its due-time rechecks
            // rather than the feed until the host is upgraded.
            KeepsOlderWriters = true,
        },
        new("ping identities of scripts and the installation's ping key, for peers' ping protocols", """
            -- A script's name in a peer's ping URLs (Healthchecks): its UUID, made on first need and never changed,
            -- and the slug of its name, under which slug URLs find it (two scripts may share a slug).
            CREATE TABLE ping_identities (
                script_name TEXT    NOT NULL PRIMARY KEY,
                ping_id     TEXT    NOT NULL UNIQUE,
                slug        TEXT    NOT NULL,
                created_at  INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX ping_identities_by_slug ON ping_identities (slug);

            -- Settings of the installation that the store keeps for every server on it: the ping key of slug URLs.
            CREATE TABLE installation_settings (
                name  TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
        {
            // Only adds tables the older builds never read.
            KeepsOlderWriters = true,
        },
        new("runs whose duration is unknown, and events of scripts that are not runs", """
            -- A peer's completion without a start (a Healthchecks ping) is a run that starts when it completes; its
            -- runtime is unknown, and runtime statistics and the learned band leave it out. Known by default, so that
            -- an older build's runs, which all have real starts, are right without it.
            ALTER TABLE runs ADD COLUMN duration_unknown INTEGER NOT NULL DEFAULT 0 CHECK (duration_unknown IN (0, 1));
            -- The health reads and runtime statistics walk runs_history alone; they now filter on the new column.
            DROP INDEX runs_history;
            CREATE INDEX runs_history ON runs (script_name, started_at, outcome, completed_at, hostname, exit_code, duration_unknown);

            -- What a script reported that is not a run (Healthchecks' /log): its body's tail, pruned with the runs.
            CREATE TABLE script_events (
                id          INTEGER PRIMARY KEY,
                script_name TEXT    NOT NULL,
                at          INTEGER NOT NULL,
                kind        TEXT    NOT NULL CHECK (kind IN ('log')),
                body        TEXT,
                source      TEXT
            );
            CREATE INDEX script_events_by_script ON script_events (script_name, at, id);
            CREATE INDEX script_events_by_time ON script_events (at);
            """)
        {
            // Only adds: an older build's inserts take the column's default, and it never reads the new table.
            KeepsOlderWriters = true,
        },
    ];

    /// <summary>
    /// Work a migration needs beyond its SQL, run after it in the same transaction, by the version it migrates to.
    /// </summary>
    private static readonly Dictionary<int, Action<SqliteConnection, SqliteTransaction>> MigrationSteps = new()
    {
        [3] = AllowAbandonedOutcome,
    };

    /// <summary>The first version whose stores record the oldest writer they accept (in <c>schema_compatibility</c>).</summary>
    private const int RecordsOldestWriterFrom = 5;

    internal static int LatestVersion => Migrations.Count;

    /// <summary>The store's schema version, and the oldest writer version it accepts where it records one.</summary>
    internal static (int Version, int? OldestWriter) ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version < RecordsOldestWriterFrom)
        {
            return (version, null);
        }

        command.CommandText = "SELECT max(oldest_writer_version) FROM schema_compatibility";
        return (version, command.ExecuteScalar() is long oldest ? (int)oldest : null);
    }

    /// <summary>
    /// Brings the file to the newest version <paramref name="migrations"/> know, or to <paramref name="toVersion"/> when
    /// a test builds an older schema. A store already newer is left as it is when it still accepts this build.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="migrations">Every migration this build knows: <see cref="Migrations"/>, and more in tests.</param>
    /// <param name="toVersion">The version to stop at; the latest by default.</param>
    /// <exception cref="StoreIncompatibleException">The store is newer and accepts no writer of this build's version.</exception>
    internal static void Migrate(SqliteConnection connection, string path, IReadOnlyList<SchemaMigration> migrations, int? toVersion = null)
    {
        var target = toVersion ?? migrations.Count;
        if (UpToDate(ReadVersion(connection), target, path, migrations.Count))
        {
            return;
        }

        using var transaction = connection.BeginTransaction(deferred: false);

        // Read again under the write lock: another process may have migrated the file meanwhile.
        var (version, oldestWriter) = ReadVersion(connection, transaction);
        if (UpToDate((version, oldestWriter), target, path, migrations.Count))
        {
            return;
        }

        var from = version;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        for (; version < target; version++)
        {
            command.CommandText = migrations[version].Sql;
            command.ExecuteNonQuery();
            if (MigrationSteps.TryGetValue(version + 1, out var step))
            {
                step(connection, transaction);
            }

            command.CommandText = FormattableString.Invariant($"PRAGMA user_version = {version + 1}");
            command.ExecuteNonQuery();
        }

        if (target >= RecordsOldestWriterFrom)
        {
            command.CommandText = "DELETE FROM schema_compatibility; INSERT INTO schema_compatibility (oldest_writer_version) VALUES ($oldest)";
            command.Parameters.AddWithValue("$oldest", SchemaCompatibility.OldestWriterAfter(migrations, from, oldestWriter ?? from, target));
            command.ExecuteNonQuery();
        }

        // Marks the file as a ScriptMonitor store (see SqliteStoreIdentity), in the transaction of the migration.
        command.Parameters.Clear();
        command.CommandText = $"PRAGMA application_id = {SqliteStoreIdentity.ApplicationId}";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Whether there is nothing to migrate; a newer store that no longer accepts this build is refused.</summary>
    private static bool UpToDate((int Version, int? OldestWriter) stored, int target, string path, int latest)
    {
        if (SchemaCompatibility.Judge(stored.Version, stored.OldestWriter, latest) == SchemaAccess.Incompatible)
        {
            throw SchemaCompatibility.Incompatible($"The SQLite database {path}", stored.Version, stored.OldestWriter, latest);
        }

        return stored.Version >= target;
    }

    /// <summary>
    /// Widens the check on <c>runs.outcome</c> to admit abandoned runs (3). SQLite cannot alter a constraint, and
    /// rebuilding the table would copy every run's output; for a change that only admits more values, SQLite's
    /// documented procedure (https://www.sqlite.org/lang_altertable.html, "making other kinds of table schema
    /// changes") edits the stored definition in place, which costs the same for ten runs and ten million.
    /// </summary>
    private static void AllowAbandonedOutcome(SqliteConnection connection, SqliteTransaction transaction)
    {
        const string Before = "CHECK (outcome IN (0, 1, 2))";
        const string After = "CHECK (outcome IN (0, 1, 2, 3))";
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA schema_version";
        var schemaVersion = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'";
        var definition = (string)command.ExecuteScalar()!;
        if (!definition.Contains(Before, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The runs table's definition is not the one schema version 2 creates; it holds no '{Before}'.");
        }

        command.CommandText = "PRAGMA writable_schema = ON";
        command.ExecuteNonQuery();
        command.CommandText = "UPDATE sqlite_schema SET sql = $sql WHERE type = 'table' AND name = 'runs'";
        command.Parameters.AddWithValue("$sql", definition.Replace(Before, After, StringComparison.Ordinal));
        command.ExecuteNonQuery();
        command.Parameters.Clear();
        command.CommandText = FormattableString.Invariant($"PRAGMA schema_version = {schemaVersion + 1}");
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA writable_schema = OFF";
        command.ExecuteNonQuery();
    }
}
