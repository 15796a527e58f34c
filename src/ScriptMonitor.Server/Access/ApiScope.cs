namespace ScriptMonitor.Server.Access;

/// <summary>What a caller may do; each scope includes nothing of another except that admin may do everything.</summary>
internal enum ApiScope
{
    /// <summary>Record runs (of the scripts its key allows).</summary>
    Ingest,

    /// <summary>Read scripts, runs, status and metrics.</summary>
    Read,

    /// <summary>Everything: pause, expectations, keys.</summary>
    Admin,
}
