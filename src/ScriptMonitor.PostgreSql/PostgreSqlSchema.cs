using Npgsql;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The schema, kept as versioned SQL in this one place. The applied versions are rows of <c>schema_version</c>, each
/// (from version 5) with the oldest writer version the store accepts as of it;
/// migrations run in one transaction under a transaction-scoped advisory lock, so that processes opening a new
/// database at once apply each migration exactly once, and a failed migration leaves nothing half done.
/// </summary>
/// <remarks><c>{schema}</c> in the SQL stands for the store's schema, quoted.</remarks>
internal static class PostgreSqlSchema
{
    /// <summary>Migration N takes the schema from version N to N+1; append, never edit.</summary>
    internal static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(
            "runs and scripts",
            """
            CREATE TABLE {schema}.scripts (
                name text COLLATE "C" NOT NULL PRIMARY KEY
            );

            CREATE TABLE {schema}.runs (
                id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id       uuid        NOT NULL UNIQUE,
                script_name  text COLLATE "C" NOT NULL,
                hostname     text COLLATE "C" NOT NULL,
                started_at   timestamptz NOT NULL,
                completed_at timestamptz,
                outcome      smallint    NOT NULL CHECK (outcome IN (0, 1, 2)),
                exit_code    integer,
                output       text,
                CHECK ((outcome = 0) = (completed_at IS NULL))
            );

            -- Last success / last failure of a script: one index seek from the end of its (outcome) range.
            CREATE INDEX runs_by_script_outcome_start ON {schema}.runs (script_name, outcome, started_at, id);
            -- Windows of a script's history, any outcome, newest first.
            CREATE INDEX runs_by_script_start ON {schema}.runs (script_name, started_at, id);
            """),
        new(
            "expectations and the health history read",
            """
            -- Expectations: one row per script. Host and tag lists are kept sorted, so equal expectations are equal rows.
            CREATE TABLE {schema}.expectations (
                script_name        text COLLATE "C" NOT NULL PRIMARY KEY,
                period             interval,
                cron               text,
                time_zone          text,
                grace              interval    NOT NULL,
                min_runtime        interval,
                max_runtime        interval,
                host_mode          smallint    NOT NULL CHECK (host_mode IN (0, 1, 2)),
                hosts              text[]      NOT NULL,
                min_hosts          integer     NOT NULL,
                failures_tolerated integer     NOT NULL,
                paused             boolean     NOT NULL,
                paused_until       timestamptz,
                tags               text[]      NOT NULL,
                updated_at         timestamptz NOT NULL,
                CHECK (period IS NULL OR cron IS NULL),
                CHECK ((cron IS NULL) = (time_zone IS NULL))
            );

            -- A script's newest runs with every column the health evaluation reads, so a per-script walk backwards
            -- can be answered from the index. It starts with (script_name, started_at, id), so it replaces that index.
            CREATE INDEX runs_history ON {schema}.runs (script_name, started_at, id) INCLUDE (outcome, completed_at, hostname, exit_code);
            DROP INDEX {schema}.runs_by_script_start;
            -- The last success of a script on one host: one seek.
            CREATE INDEX runs_by_script_host_outcome_start ON {schema}.runs (script_name, hostname, outcome, started_at, id);
            -- Runs in progress, however old: few rows, so a small partial index.
            CREATE INDEX runs_in_progress ON {schema}.runs (script_name, started_at, id) WHERE outcome = 0;
            """),
        new(
            "runners, abandoned runs and skipped runs",
            """
            -- Who runs a run in progress, so that a scriptmon on the same host can tell a dead run from a live one.
            ALTER TABLE {schema}.runs
                ADD COLUMN runner_boot_id text,
                ADD COLUMN runner_pid     integer,
                ADD COLUMN runner_started bigint,
                ADD COLUMN runner_pid_ns  text;

            -- Abandoned runs (3). Every stored row holds 0 to 2, so the wider check needs no scan of the table.
            ALTER TABLE {schema}.runs DROP CONSTRAINT runs_outcome_check;
            ALTER TABLE {schema}.runs ADD CONSTRAINT runs_outcome_check CHECK (outcome IN (0, 1, 2, 3)) NOT VALID;

            -- Runs that did not start because another run held the script's lock.
            CREATE TABLE {schema}.skips (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                event_id    uuid        NOT NULL UNIQUE,
                script_name text COLLATE "C" NOT NULL,
                hostname    text COLLATE "C" NOT NULL,
                skipped_at  timestamptz NOT NULL,
                holder      text        NOT NULL
            );
            CREATE INDEX skips_by_script_time ON {schema}.skips (script_name, skipped_at);
            """),
        new(
            "abandonment bound and skips before an alert in expectations",
            """
            -- How long a run may stay in progress before it is presumed abandoned (null: the default bound), and how
            -- many runs skipped in a row for a held lock make an alert.
            ALTER TABLE {schema}.expectations
                ADD COLUMN abandon_after      interval,
                ADD COLUMN skips_before_alert integer NOT NULL DEFAULT 3;
            """),
        new(
            "the oldest writer the store accepts",
            """
            -- The oldest schema version whose builds may still write this store (see SchemaCompatibility), as of each
            -- version applied from now on. A build that knows an older version than the store's reads it from the
            -- newest row to tell whether it may carry on.
            ALTER TABLE {schema}.schema_version ADD COLUMN oldest_writer_version integer;
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "API keys and the audit list",
            """
            -- API keys: never the secret, only its SHA-256 hash, found by a unique index in one lookup. A name is unique
            -- among the keys not revoked, so a revoked key's name may be given to a new one.
            CREATE TABLE {schema}.api_keys (
                id              text COLLATE "C" NOT NULL PRIMARY KEY,
                name            text COLLATE "C" NOT NULL,
                scope           smallint    NOT NULL CHECK (scope IN (0, 1, 2)),
                script_patterns text[]      NOT NULL,
                secret_hash     bytea       NOT NULL,
                created_at      timestamptz NOT NULL,
                created_by      text        NOT NULL,
                revoked_at      timestamptz
            );
            CREATE UNIQUE INDEX api_keys_by_secret_hash ON {schema}.api_keys (secret_hash);
            CREATE UNIQUE INDEX api_keys_active_name ON {schema}.api_keys (name) WHERE revoked_at IS NULL;

            -- Who changed what, newest first.
            CREATE TABLE {schema}.audit_log (
                id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at     timestamptz NOT NULL,
                actor  text        NOT NULL,
                action text        NOT NULL,
                target text        NOT NULL,
                detail text
            );
            CREATE INDEX audit_log_by_time ON {schema}.audit_log (at, id);
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "when and how a run reached the server",
            """
            -- Set by a server that received the run (null for a run a local scriptmon wrote): its clock at receipt;
            -- whether the client's instants were more than RunArrival.ClockSkewTolerance after it; and whether it came
            -- live or late from a client's spool. Nullable columns without defaults: adding them rewrites no row.
            ALTER TABLE {schema}.runs
                ADD COLUMN received_at timestamptz,
                ADD COLUMN clock_skew  boolean,
                ADD COLUMN delivery    text CHECK (delivery IN ('live', 'spool'));
            """)
        {
            KeepsOlderWriters = true,
        },
        new(
            "the alert loop: change feed, flips, outbox, channels, maintenance windows, leader lease",
            """
            -- The change feed: every write of a script's runs, skips or expectation (and of a maintenance window for it)
            -- gives the script the next number of a sequence, taken after the script's row is locked, so that of two
            -- writers of one script the one that commits last has the higher number. Writers of different scripts
            -- commit out of number order: a reader re-reads a short window behind its cursor. A table of its own
            -- rather than a column of scripts: a script with only an expectation has no row in scripts and must not
            -- get one. Existing scripts are numbered once, so that a reader starting at 0 sees every one.
            CREATE SEQUENCE {schema}.change_seq AS bigint;
            CREATE TABLE {schema}.script_changes (
                script_name text COLLATE "C" NOT NULL PRIMARY KEY,
                change_seq  bigint NOT NULL
            );
            CREATE INDEX script_changes_by_seq ON {schema}.script_changes (change_seq);
            INSERT INTO {schema}.script_changes (script_name, change_seq)
                SELECT name, nextval('{schema}.change_seq')
                FROM (SELECT name FROM {schema}.scripts UNION SELECT script_name FROM {schema}.expectations ORDER BY 1) AS known;

            -- Every change of a script's evaluated state; states by name, the reason's facts as JSON.
            CREATE TABLE {schema}.flips (
                id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                script_name    text COLLATE "C" NOT NULL,
                at             timestamptz NOT NULL,
                from_state     text,
                to_state       text        NOT NULL,
                reason_state   text        NOT NULL,
                reason_host    text,
                reason_message text        NOT NULL,
                facts          jsonb       NOT NULL,
                quiet          boolean     NOT NULL
            );
            CREATE INDEX flips_by_script ON {schema}.flips (script_name, at, id);
            CREATE INDEX flips_by_time ON {schema}.flips (at, id);

            -- The outbox: one row per notification per channel, written with its flip, delivered at least once.
            CREATE TABLE {schema}.notifications (
                event_id        uuid        NOT NULL PRIMARY KEY,
                channel         text COLLATE "C" NOT NULL,
                script_name     text COLLATE "C" NOT NULL,
                kind            text        NOT NULL,
                created_at      timestamptz NOT NULL,
                payload         text        NOT NULL,
                flip_id         bigint,
                status          text        NOT NULL CHECK (status IN ('Pending', 'Delivered', 'Failed')),
                attempts        integer     NOT NULL,
                next_attempt_at timestamptz,
                last_error      text,
                delivered_at    timestamptz
            );
            -- What the dispatcher claims, and the outbox's depth: few rows, so small partial indexes.
            CREATE INDEX notifications_due ON {schema}.notifications (next_attempt_at, created_at) WHERE status = 'Pending';
            CREATE INDEX notifications_failed ON {schema}.notifications (created_at) WHERE status = 'Failed';
            CREATE INDEX notifications_by_time ON {schema}.notifications (created_at);
            CREATE INDEX notifications_by_script ON {schema}.notifications (script_name, created_at);
            CREATE INDEX notifications_by_channel ON {schema}.notifications (channel, created_at);

            -- Every attempt to deliver a notification, kept.
            CREATE TABLE {schema}.delivery_attempts (
                id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                event_id  uuid        NOT NULL,
                at        timestamptz NOT NULL,
                delivered boolean     NOT NULL,
                error     text,
                retry_at  timestamptz,
                gone      boolean     NOT NULL
            );
            CREATE INDEX delivery_attempts_by_event ON {schema}.delivery_attempts (event_id, id);

            -- Where notifications go: settings, secrets and the routing lists as JSON.
            CREATE TABLE {schema}.channels (
                name          text COLLATE "C" NOT NULL PRIMARY KEY,
                kind          text        NOT NULL,
                settings      jsonb       NOT NULL,
                secrets       jsonb       NOT NULL,
                tags          jsonb       NOT NULL,
                scripts       jsonb       NOT NULL,
                repeat_every  interval,
                created_at    timestamptz NOT NULL,
                broken_since  timestamptz,
                broken_reason text
            );

            -- When a script, or every script with a tag, is not expected to behave.
            CREATE TABLE {schema}.maintenance_windows (
                name        text COLLATE "C" NOT NULL PRIMARY KEY,
                script_name text COLLATE "C",
                tag         text COLLATE "C",
                cron        text,
                starts_at   timestamptz,
                every       interval,
                duration    interval,
                time_zone   text        NOT NULL,
                created_at  timestamptz NOT NULL,
                CHECK ((script_name IS NULL) <> (tag IS NULL))
            );

            -- Who evaluates and delivers: one row, judged by the database's clock so that instances whose clocks
            -- disagree still agree on it; the token grows each time the lease is granted anew.
            CREATE TABLE {schema}.leader_lease (
                id         integer     NOT NULL PRIMARY KEY CHECK (id = 1),
                holder     text        NOT NULL,
                token      bigint      NOT NULL,
                expires_at timestamptz NOT NULL
            );
            """)
        {
            // Only adds: a build of the version before still writes runs, but they reach the loop by its due-time
            // rechecks rather than the feed until the host is upgraded.
            KeepsOlderWriters = true,
        },
        new("ping identities of scripts and the installation's ping key, for peers' ping protocols", """
            -- A script's name in a peer's ping URLs (Healthchecks): its UUID, made on first need and never changed,
            -- and the slug of its name, under which slug URLs find it (two scripts may share a slug).
            CREATE TABLE {schema}.ping_identities (
                script_name text COLLATE "C" NOT NULL PRIMARY KEY,
                ping_id     uuid        NOT NULL UNIQUE,
                slug        text COLLATE "C" NOT NULL,
                created_at  timestamptz NOT NULL
            );
            CREATE INDEX ping_identities_by_slug ON {schema}.ping_identities (slug);

            -- Settings of the installation that the store keeps for every server on it: the ping key of slug URLs.
            CREATE TABLE {schema}.installation_settings (
                name  text COLLATE "C" NOT NULL PRIMARY KEY,
                value text NOT NULL
            );
            """)
        {
            // Only adds tables the older builds never read.
            KeepsOlderWriters = true,
        },
        new("runs whose duration is unknown, and events of scripts that are not runs", """
            -- A peer's completion without a start (a Healthchecks ping) is a run that starts when it completes; its
            -- runtime is unknown, and runtime statistics and the learned band leave it out. Known by default (a
            -- constant default adds no row rewrite), so that an older build's runs, which all have real starts, are
            -- right without it.
            ALTER TABLE {schema}.runs ADD COLUMN duration_unknown boolean NOT NULL DEFAULT false;
            -- The health reads and runtime statistics are answered from runs_history; they now filter on the column.
            DROP INDEX {schema}.runs_history;
            CREATE INDEX runs_history ON {schema}.runs (script_name, started_at, id) INCLUDE (outcome, completed_at, hostname, exit_code, duration_unknown);

            -- What a script reported that is not a run (Healthchecks' /log): its body's tail, pruned with the runs.
            CREATE TABLE {schema}.script_events (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                script_name text COLLATE "C" NOT NULL,
                at          timestamptz NOT NULL,
                kind        text NOT NULL CHECK (kind IN ('log')),
                body        text,
                source      text
            );
            CREATE INDEX script_events_by_script ON {schema}.script_events (script_name, at, id);
            CREATE INDEX script_events_by_time ON {schema}.script_events (at);
            """)
        {
            // Only adds: an older build's inserts take the column's default, and it never reads the new table.
            KeepsOlderWriters = true,
        },
    ];

    /// <summary>The first version whose rows record the oldest writer the store accepts.</summary>
    private const int RecordsOldestWriterFrom = 5;

    internal static int LatestVersion => Migrations.Count;

    /// <summary>The schema name quoted for SQL: it is validated by the options, and quoted all the same.</summary>
    internal static string Quote(string schema) => "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The store's schema version (0 when there is no store), and the oldest writer version it accepts where it records one.</summary>
    internal static async ValueTask<(int Version, int? OldestWriter)> ReadVersionAsync(NpgsqlConnection connection, string schema, bool async, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction);
        exists.Parameters.Add(new NpgsqlParameter { Value = Quote(schema) + ".schema_version" });
        if (!(bool)(await exists.ScalarAsync(async, cancellationToken).ConfigureAwait(false))!)
        {
            return (0, null);
        }

        // The row as JSON: a store older than the oldest-writer column reads as one without it.
        await using var version = new NpgsqlCommand(
            $"SELECT version, (to_jsonb(v) ->> 'oldest_writer_version')::integer FROM {Quote(schema)}.schema_version v ORDER BY version DESC LIMIT 1",
            connection,
            transaction);
        await using var reader = await version.ReaderAsync(async, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(async, cancellationToken).ConfigureAwait(false)
            ? (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1))
            : (0, null);
    }

    /// <summary>
    /// Brings the schema to the newest version <paramref name="migrations"/> know; a no-op, without locking, when it is
    /// there already or newer and still accepting this build.
    /// </summary>
    /// <exception cref="StoreIncompatibleException">The store is newer and accepts no writer of this build's version.</exception>
    /// <param name="connection">An open connection.</param>
    /// <param name="schema">The store's schema, unquoted.</param>
    /// <param name="description">The database, for messages.</param>
    /// <param name="migrations">Every migration this build knows: <see cref="Migrations"/>, and more in tests.</param>
    /// <param name="async">Whether to do the I/O asynchronously.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="toVersion">The version to stop at; the latest unless a test builds an older schema.</param>
    internal static async ValueTask MigrateAsync(NpgsqlConnection connection, string schema, string description, IReadOnlyList<SchemaMigration> migrations, bool async, CancellationToken cancellationToken, int? toVersion = null)
    {
        var target = toVersion ?? migrations.Count;
        if (UpToDate(await ReadVersionAsync(connection, schema, async, cancellationToken).ConfigureAwait(false), target, description, migrations.Count))
        {
            return;
        }

        var quoted = Quote(schema);
        await using var transaction = async
            ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : connection.BeginTransaction();

        // Held until commit: a second process opening the same new database waits here, then finds the work done.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = "scriptmon.migrate:" + schema });
            await command.NonQueryAsync(async, cancellationToken).ConfigureAwait(false);
        }

        // Created only when missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database even when
        // the schema exists, and an administrator may have created it for a user without that privilege.
        await using (var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            if (!(bool)(await command.ScalarAsync(async, cancellationToken).ConfigureAwait(false))!)
            {
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {quoted}", async, cancellationToken).ConfigureAwait(false);
            }
        }

        await ExecuteAsync(
            connection,
            transaction,
            $"""
            CREATE TABLE IF NOT EXISTS {quoted}.schema_version (
                version     integer     NOT NULL PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            async,
            cancellationToken).ConfigureAwait(false);

        var (version, oldestWriter) = await ReadVersionAsync(connection, schema, async, cancellationToken, transaction).ConfigureAwait(false);
        if (UpToDate((version, oldestWriter), target, description, migrations.Count))
        {
            return;
        }

        for (var from = version; version < target; version++)
        {
            var migration = migrations[version];
            await ExecuteAsync(connection, transaction, migration.Sql.Replace("{schema}", quoted, StringComparison.Ordinal), async, cancellationToken).ConfigureAwait(false);
            var recordsOldest = version + 1 >= RecordsOldestWriterFrom;
            await using var record = new NpgsqlCommand(
                recordsOldest
                    ? $"INSERT INTO {quoted}.schema_version (version, description, oldest_writer_version) VALUES ($1, $2, $3)"
                    : $"INSERT INTO {quoted}.schema_version (version, description) VALUES ($1, $2)",
                connection,
                transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = version + 1 });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Description });
            if (recordsOldest)
            {
                record.Parameters.Add(new NpgsqlParameter { Value = SchemaCompatibility.OldestWriterAfter(migrations, from, oldestWriter ?? from, version + 1) });
            }

            await record.NonQueryAsync(async, cancellationToken).ConfigureAwait(false);
        }

        if (async)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            transaction.Commit();
        }
    }

    /// <summary>Whether there is nothing to migrate; a newer store that no longer accepts this build is refused.</summary>
    internal static bool UpToDate((int Version, int? OldestWriter) stored, int target, string description, int latest)
    {
        if (SchemaCompatibility.Judge(stored.Version, stored.OldestWriter, latest) == SchemaAccess.Incompatible)
        {
            throw SchemaCompatibility.Incompatible($"The database {description}", stored.Version, stored.OldestWriter, latest);
        }

        return stored.Version >= target;
    }

    private static async ValueTask ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, bool async, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.NonQueryAsync(async, cancellationToken).ConfigureAwait(false);
    }
}
