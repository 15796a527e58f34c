using ScriptMonitor.Access;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// Records in the audit list each change an admin key makes over HTTP, with the key's name and the time. Keys record
/// their own creation and revocation (the store writes those entries with the key in one transaction).
/// </summary>
internal static class AdminAudit
{
    public const string ScriptPause = "script.pause";
    public const string ScriptResume = "script.resume";
    public const string ExpectationPut = "expectation.put";
    public const string ExpectationDelete = "expectation.delete";
    public const string ExpectationLearn = "expectation.learn";

    public static Task RecordAsync(HttpContext http, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        var store = http.RequestServices.GetRequiredService<ServerStore>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var detailText = detail is { Length: > AuditEntry.MaxDetailLength } ? detail[..AuditEntry.MaxDetailLength] : detail;
        return store.Runs.RecordAuditAsync(new AuditEntry(now, ScopeFilter.CallerOf(http).Name, action, target, detailText), cancellationToken);
    }
}
