using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Server.Api;

/// <summary>One page of the scripts, each with its health: the rows of the status overview that match.</summary>
/// <param name="Store">The store read, for people.</param>
/// <param name="GeneratedAt">The instant every row was read and evaluated at.</param>
/// <param name="Scripts">The rows, by name.</param>
/// <param name="Next">The cursor of the next page (give it as <c>after</c>); null on the last page.</param>
internal sealed record ScriptListView(string Store, string GeneratedAt, IReadOnlyList<ScriptStatusView> Scripts, string? Next);

/// <summary>One script: its row of the status overview and its expectation.</summary>
/// <param name="GeneratedAt">The instant the row was read and evaluated at.</param>
/// <param name="Status">Its row.</param>
/// <param name="Expectation">Its expectation; null when none is set.</param>
internal sealed record ScriptView(string GeneratedAt, ScriptStatusView Status, ExpectationView? Expectation);

/// <summary>A change to a script's expectation: every field given replaces that field; a field left out keeps its value.</summary>
internal sealed record ExpectationPatchRequest(
    double? EverySeconds,
    string? Cron,
    string? TimeZone,
    double? GraceSeconds,
    double? MinRuntimeSeconds,
    double? MaxRuntimeSeconds,
    IReadOnlyList<string>? Hosts,
    int? AtLeast,
    int? FailuresTolerated,
    double? AbandonAfterSeconds,
    int? SkipsBeforeAlert,
    bool? Pause,
    DateTimeOffset? Until,
    bool? Resume,
    IReadOnlyList<string>? Tags);

/// <summary>A pause of a script's alerting.</summary>
/// <param name="Until">When it ends by itself; null until it is resumed.</param>
internal sealed record PauseRequest(DateTimeOffset? Until);

/// <summary>A key to create.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Scope"><c>ingest</c>, <c>read</c> or <c>admin</c>.</param>
/// <param name="Scripts">For an ingest key, the script patterns it may record; none for every script.</param>
internal sealed record KeyCreateRequest(string? Name, string? Scope, IReadOnlyList<string>? Scripts);

/// <summary>One page of the audit list, newest first.</summary>
/// <param name="Entries">The entries.</param>
/// <param name="Next">The cursor of the next, older page (give it as <c>before</c>); null on the last page.</param>
internal sealed record AuditListView(IReadOnlyList<AuditEntryView> Entries, string? Next);

/// <summary>One change made with an admin key or the command line on the store's host.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">The key's name, or <c>cli</c>.</param>
/// <param name="Action">What: <c>key.create</c>, <c>script.pause</c>, <c>expectation.put</c>…</param>
/// <param name="Target">To what: a key's or a script's name.</param>
/// <param name="Detail">More for people, if anything.</param>
internal sealed record AuditEntryView(string At, string Actor, string Action, string Target, string? Detail);
