using ScriptMonitor.Health;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The newest evaluation of every script, as the evaluation loop keeps it while this instance leads: the loop
/// evaluates a script whenever its data changes and whenever time alone could change its state, so what is kept here
/// is as current as a fresh evaluation of every script, without one. Read by the dashboard's overview.
/// </summary>
/// <remarks>
/// Written by the loop's one thread and read by any request thread; a read takes a copy that is made once per change,
/// so that many readers between two changes share it.
/// </remarks>
public sealed class HealthStates
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ScriptHealth> _states = new(StringComparer.Ordinal);
    private IReadOnlyList<ScriptHealth>? _copy;
    private DateTimeOffset? _completeAt;

    /// <summary>
    /// The instant of the last evaluation after which every script was in; null while the loop has not gone through
    /// them all (before its first tick as the leader, or after it lost the lease).
    /// </summary>
    public DateTimeOffset? CompleteAt
    {
        get
        {
            lock (_lock)
            {
                return _completeAt;
            }
        }
    }

    /// <summary>How many scripts are kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _states.Count;
            }
        }
    }

    /// <summary>Every kept evaluation, in no order; the same list until something changes.</summary>
    public IReadOnlyList<ScriptHealth> Read()
    {
        lock (_lock)
        {
            return _copy ??= [.. _states.Values];
        }
    }

    /// <summary>The newest evaluation of one script, where one is kept.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="health">Its newest evaluation; null when none is kept.</param>
    /// <returns>True when one is kept.</returns>
    public bool TryGet(string scriptName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScriptHealth? health)
    {
        lock (_lock)
        {
            return _states.TryGetValue(scriptName, out health);
        }
    }

    /// <summary>Keeps a script's newest evaluation.</summary>
    /// <param name="health">The evaluation.</param>
    public void Set(ScriptHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        lock (_lock)
        {
            _states[health.ScriptName] = health;
            _copy = null;
        }
    }

    /// <summary>Forgets a script the store no longer has.</summary>
    /// <param name="scriptName">The script.</param>
    public void Remove(string scriptName)
    {
        lock (_lock)
        {
            if (_states.Remove(scriptName))
            {
                _copy = null;
            }
        }
    }

    /// <summary>Says that every script is in, as of <paramref name="at"/>.</summary>
    /// <param name="at">The instant of the evaluation that completed the set.</param>
    public void MarkComplete(DateTimeOffset at)
    {
        lock (_lock)
        {
            _completeAt = at;
        }
    }

    /// <summary>Forgets everything: a new term as the leader starts from the store.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _states.Clear();
            _copy = null;
            _completeAt = null;
        }
    }
}
