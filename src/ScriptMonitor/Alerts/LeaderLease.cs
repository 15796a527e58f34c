namespace ScriptMonitor.Alerts;

/// <summary>
/// The right to evaluate and deliver, held by one server instance at a time. <see cref="Token"/> grows each time the
/// lease changes hands, and every write of the holder carries it: a holder that lost the lease (frozen, cut off) and
/// comes back writes nothing.
/// </summary>
/// <param name="Holder">Who holds it: an instance's id.</param>
/// <param name="Token">The fencing token; grows with every change of holder.</param>
/// <param name="ExpiresAt">When it lapses unless renewed (the store's clock).</param>
public sealed record LeaderLease(string Holder, long Token, DateTimeOffset ExpiresAt);
