namespace ScriptMonitor.Application.Views;

/// <summary>A script's recorded changes of state, newest first (<c>scriptmon flips NAME --json</c>, <c>GET /api/v1/scripts/{name}/flips</c>).</summary>
/// <param name="Script">The script.</param>
/// <param name="Flips">The flips, newest first.</param>
public sealed record FlipsView(string Script, IReadOnlyList<FlipView> Flips);

/// <summary>One change of a script's state.</summary>
/// <param name="Id">Its id, increasing in the order flips were recorded.</param>
/// <param name="Script">The script.</param>
/// <param name="At">When the evaluation saw it (ISO 8601, UTC).</param>
/// <param name="From">The state before (<c>Up</c>, <c>Late</c>, …); null for the first state recorded.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">The first reason of the new state, as a sentence.</param>
/// <param name="Host">The host the reason is about; null for any host.</param>
/// <param name="Quiet">True when it was recorded but not told (an old run, or a change not worth telling).</param>
/// <param name="DueAt">The due instant behind it, where there is one.</param>
/// <param name="LastSuccessAt">The last success behind it, where there is one.</param>
/// <param name="RunStartedAt">The run it rests on, where there is one.</param>
/// <param name="ObservedSeconds">A duration observed, where there is one.</param>
/// <param name="LimitSeconds">The duration limit it was held against, where there is one.</param>
/// <param name="ObservedCount">A count observed, where there is one.</param>
/// <param name="LimitCount">The count it was held against, where there is one.</param>
/// <param name="ExitCode">The exit code of the run it rests on, where there is one.</param>
public sealed record FlipView(
    long Id,
    string Script,
    string At,
    string? From,
    string To,
    string Reason,
    string? Host,
    bool Quiet,
    string? DueAt,
    string? LastSuccessAt,
    string? RunStartedAt,
    double? ObservedSeconds,
    double? LimitSeconds,
    long? ObservedCount,
    long? LimitCount,
    int? ExitCode);

/// <summary>Notifications newest first, with their delivery (<c>scriptmon notifications list --json</c>, <c>GET /api/v1/notifications</c>).</summary>
/// <param name="Notifications">The notifications, newest first.</param>
public sealed record NotificationsView(IReadOnlyList<NotificationView> Notifications);

/// <summary>One notification to one channel and where its delivery stands.</summary>
/// <param name="EventId">Its id, the same in every attempt (the <c>Idempotency-Key</c> a receiver sees).</param>
/// <param name="Channel">The channel.</param>
/// <param name="Script">The script it is about.</param>
/// <param name="Kind"><c>Down</c>, <c>Recovery</c>, <c>Repeat</c>, <c>Flapping</c> or <c>Test</c>.</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="Status"><c>Pending</c>, <c>Delivered</c> or <c>Failed</c>.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending.</param>
/// <param name="LastError">What the last failed attempt said.</param>
/// <param name="DeliveredAt">When the channel took it.</param>
/// <param name="FlipId">The flip it tells of; null for a repeat or a test.</param>
/// <param name="Summary">What it says, in plain words.</param>
public sealed record NotificationView(
    Guid EventId,
    string Channel,
    string Script,
    string Kind,
    string CreatedAt,
    string Status,
    int Attempts,
    string? NextAttemptAt,
    string? LastError,
    string? DeliveredAt,
    long? FlipId,
    string? Summary);
