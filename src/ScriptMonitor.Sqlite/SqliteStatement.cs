using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// A statement run through SQLite's own API, for the reads that return a row for every run of every script: the data
/// reader's cost per row was more than half of the whole evaluation of 10,000 scripts. It runs on the session's
/// connection, inside whatever transaction is open there; its failures are <see cref="SqliteException"/>s as the
/// reader's are.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    internal SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Starts the statement again, with new values bound.</summary>
    internal SqliteStatement Reset()
    {
        Check(raw.sqlite3_reset(_statement));
        return this;
    }

    internal SqliteStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    internal SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Moves to the next row: true when there is one, false when the statement is done.</summary>
    internal bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return false;
    }

    internal bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    internal long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    internal int Int32(int column) => raw.sqlite3_column_int(_statement, column);

    /// <summary>A text column's UTF-8 bytes, valid until the next step: compared before a string is made of them.</summary>
    internal ReadOnlySpan<byte> Bytes(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
