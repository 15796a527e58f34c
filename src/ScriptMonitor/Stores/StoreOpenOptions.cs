namespace ScriptMonitor.Stores;

/// <summary>What the composition place tells a provider when it opens a store; every backend reads the same settings.</summary>
public sealed record StoreOpenOptions
{
    /// <summary>The clock stores judge "in the future" by; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long any one wait of the store may take (a lock, a connection, a statement); null for each store's
    /// defaults. A caller that must not be held up, such as a wrapper recording a run, gives a few seconds.
    /// </summary>
    public TimeSpan? WaitBound { get; init; }

    /// <summary>For a read-only open: open a store at an older schema version too, to report on it.</summary>
    public bool AcceptOlderSchema { get; init; }
}
