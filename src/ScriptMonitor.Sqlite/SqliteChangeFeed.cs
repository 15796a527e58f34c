using Microsoft.Data.Sqlite;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// Gives a script the next number of the change feed, inside a write transaction of the caller. Writers hold the
/// file's write lock for the whole transaction, so max + 1 read there is unique and numbers grow in commit order: a
/// reader's cursor never passes a change that is not yet visible.
/// </summary>
internal sealed class SqliteChangeFeed
{
    private readonly SqliteCommand _bump;
    private readonly SqliteCommand _bumpMany;

    internal SqliteChangeFeed(SqliteSession session)
    {
        // The max is one step down the change_seq index: the same cost with ten scripts or ten thousand.
        _bump = session.Prepare(
            """
            INSERT INTO script_changes (script_name, change_seq)
            VALUES ($name, (SELECT coalesce(max(change_seq), 0) + 1 FROM script_changes))
            ON CONFLICT (script_name) DO UPDATE SET change_seq = excluded.change_seq
            """,
            "$name");
        _bumpMany = session.Prepare(
            """
            INSERT INTO script_changes (script_name, change_seq)
            SELECT value, (SELECT coalesce(max(change_seq), 0) FROM script_changes) + key + 1 FROM json_each($names) WHERE true
            ON CONFLICT (script_name) DO UPDATE SET change_seq = excluded.change_seq
            """,
            "$names");
    }

    /// <summary>
    /// Gives each of <paramref name="scriptNames"/> (distinct) the next numbers, in one statement: a batch of runs of
    /// hundreds of scripts pays one statement for the feed, not one per script.
    /// </summary>
    internal void Bump(IReadOnlyCollection<string> scriptNames, SqliteTransaction transaction)
    {
        if (scriptNames.Count == 1)
        {
            Bump(scriptNames.First(), transaction);
            return;
        }

        _bumpMany.Transaction = transaction;
        _bumpMany.Parameters[0].Value = SqliteRows.JsonArray(scriptNames);
        _bumpMany.ExecuteNonQuery();
    }

    /// <summary>Gives <paramref name="scriptName"/> the next number, in <paramref name="transaction"/>.</summary>
    internal void Bump(string scriptName, SqliteTransaction transaction)
    {
        _bump.Transaction = transaction;
        _bump.Parameters[0].Value = scriptName;
        _bump.ExecuteNonQuery();
    }

    /// <summary>
    /// Gives every script whose expectation has <paramref name="tag"/> the next numbers, one each, in
    /// <paramref name="transaction"/>. Tags are stored joined with new lines, which names cannot contain.
    /// </summary>
    internal static void BumpTagged(SqliteSession session, string tag, SqliteTransaction transaction)
    {
        using var command = session.Command(
            """
            INSERT INTO script_changes (script_name, change_seq)
            SELECT script_name, (SELECT coalesce(max(change_seq), 0) FROM script_changes) + ROW_NUMBER() OVER (ORDER BY script_name)
            FROM expectations WHERE instr(char(10) || tags || char(10), char(10) || $tag || char(10)) > 0
            ON CONFLICT (script_name) DO UPDATE SET change_seq = excluded.change_seq
            """,
            transaction);
        command.Parameters.AddWithValue("$tag", tag);
        command.ExecuteNonQuery();
    }
}
