using ScriptMonitor.Health;

namespace ScriptMonitor.Stores;

/// <summary>
/// Expectations as a store reads them back, by script name. A stored row this build cannot read (written by another
/// version, or by hand, against today's rules) does not make every expectation unreadable: it is kept as the problem
/// of its own script, which the health evaluation reports as unknown.
/// </summary>
public sealed class StoredExpectations
{
    private readonly SortedDictionary<string, ScriptExpectation> _expectations = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _problems = new(StringComparer.Ordinal);

    /// <summary>The expectations that were read, by script name.</summary>
    public IReadOnlyDictionary<string, ScriptExpectation> Expectations => _expectations;

    /// <summary>Why a script's stored expectation could not be read, by script name.</summary>
    public IReadOnlyDictionary<string, string> Problems => _problems;

    /// <summary>Reads one stored row.</summary>
    /// <param name="scriptName">The row's script, read before the rest of it.</param>
    /// <param name="read">Reads the rest of the row; a broken rule throws what validation throws.</param>
    public void Add(string scriptName, Func<ScriptExpectation> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            _expectations[scriptName] = read();
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            _problems[scriptName] = $"its stored expectation cannot be read ({e.Message.TrimEnd('.')}); set it again with 'scriptmon expect {scriptName}' or remove it";
        }
    }

    /// <summary>A stored row read on its own: the expectation, or null when there is none or it cannot be read.</summary>
    /// <param name="read">Reads the row.</param>
    public static ScriptExpectation? ReadOrNull(Func<ScriptExpectation?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return null;
        }
    }

    /// <summary>The failures of reading a stored expectation that say the row breaks a rule, not that the store failed.</summary>
    private static bool IsUnreadable(Exception e) => e is ArgumentException or FormatException or InvalidCastException or OverflowException;
}
