namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The change feed's SQL, added to each write of a script's runs, skips or expectation in the write's own statement.
/// A script's number is taken from the sequence after its row is locked (<c>DO UPDATE</c> evaluates after the lock), so
/// of two writers of one script the one that commits last has the higher number and a reader that saw the first sees
/// the second again. Writers of different scripts commit out of number order; readers re-read a short window.
/// </summary>
internal static class PostgreSqlChangeFeed
{
    /// <summary>
    /// A data-modifying CTE named <c>feed</c> that moves every script named by the <c>script_name</c> column of
    /// <paramref name="source"/> (a CTE of the same statement) to the head of the feed; in name order, so that writers
    /// of the same scripts lock them in the same order.
    /// </summary>
    internal static string Cte(string schema, string source) => $"""
        feed AS (
            INSERT INTO {schema}.script_changes (script_name, change_seq)
            SELECT name, nextval('{schema}.change_seq') FROM (SELECT DISTINCT script_name AS name FROM {source} ORDER BY 1) AS changed
            ON CONFLICT (script_name) DO UPDATE SET change_seq = nextval('{schema}.change_seq'))
        """;

    /// <summary>A statement that moves the scripts of the text array <c>$1</c> to the head of the feed.</summary>
    internal static string OfNames(string schema) =>
        $"WITH names AS (SELECT DISTINCT unnest($1::text[]) AS script_name), {Cte(schema, "names")} SELECT 1";
}
