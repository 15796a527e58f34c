namespace ScriptMonitor.Access;

/// <summary>What an API key may do. Each scope allows what the ones before it do, except that an ingest key is limited to its scripts.</summary>
public enum KeyScope
{
    /// <summary>May only record runs, of the scripts its patterns allow (<see cref="ApiKey.ScriptPatterns"/>).</summary>
    Ingest = 0,

    /// <summary>May read everything (scripts, runs, status, expectations), and change nothing.</summary>
    Read = 1,

    /// <summary>May do everything: record, read, pause, change expectations, manage keys.</summary>
    Admin = 2,
}
