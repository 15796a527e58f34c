namespace ScriptMonitor.Application.Spooling;

/// <summary>What one delivery of the spool did.</summary>
/// <param name="Delivered">Runs written to the store.</param>
/// <param name="AlreadyStored">Runs the store already had (an earlier delivery was interrupted after writing them).</param>
/// <param name="Rejected">Entries the store refused as invalid, moved aside to <c>rejected/</c>.</param>
/// <param name="Remaining">Entries still waiting, because the store failed or another process is delivering.</param>
/// <param name="Error">Why delivery stopped early, if it did.</param>
internal sealed record SpoolDelivery(int Delivered, int AlreadyStored, int Rejected, int Remaining, string? Error);
