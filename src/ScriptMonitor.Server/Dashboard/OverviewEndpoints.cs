using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;

namespace ScriptMonitor.Server.Dashboard;

/// <summary>
/// The dashboard's overview: every script's state, first reason, last success and its age, hosts and tags, and
/// nothing else. The status overview carries each script's last success and failure with their output (16 MB at
/// 10,000 scripts); this is a tenth of that, and one evaluation serves every viewer polling within a second.
/// </summary>
internal static class OverviewEndpoints
{
    public static void MapOverviewEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", ReadAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Status")
            .WithName("GetOverview")
            .WithSummary("Every script in brief for the dashboard: state, first reason, last success and its age, hosts and tags; at most a second old.")
            .Produces<OverviewView>()
            .ProducesReadProblems();
    }

    private static async Task<Ok<OverviewView>> ReadAsync(OverviewSnapshot snapshot, CancellationToken cancellationToken) =>
        TypedResults.Ok(await snapshot.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false));
}

/// <summary>
/// The overview, evaluated at most once a second whoever asks: each open dashboard polls every few seconds, and an
/// evaluation of 10,000 scripts costs a few hundred milliseconds of the store's time.
/// </summary>
internal sealed class OverviewSnapshot(MonitorServices services, TimeProvider timeProvider)
{
    /// <summary>How old an answer may be given again; a dashboard polling every 3 s still shows a change within 5 s.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Task<OverviewView>? _current;
    private DateTimeOffset _startedAt;

    public Task<OverviewView> GetAsync()
    {
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            // A failed read is not kept: the next caller tries the store again.
            if (_current is null || (_current.IsCompleted && (!_current.IsCompletedSuccessfully || now - _startedAt > MaxAge)))
            {
                _startedAt = now;
                // Not the first caller's token: the others wait for the same read.
                _current = ReadAsync();
            }

            return _current;
        }
    }

    private async Task<OverviewView> ReadAsync()
    {
        var status = services.Status.ReadAsync(CancellationToken.None);
        var expectations = await services.Expectations.ListAsync(CancellationToken.None).ConfigureAwait(false);
        var byScript = expectations.Expectations.ToDictionary(e => e.Script, StringComparer.Ordinal);
        var view = await status.ConfigureAwait(false);
        var rows = new List<OverviewRow>(view.Scripts.Count);
        foreach (var script in view.Scripts)
        {
            var expectation = byScript.GetValueOrDefault(script.Name);
            var hosts = new SortedSet<string>(expectation?.Hosts ?? [], StringComparer.Ordinal);
            if (script.LastSuccess is { } success)
            {
                hosts.Add(success.Host);
            }

            if (script.LastFailure is { } failure)
            {
                hosts.Add(failure.Host);
            }

            rows.Add(new OverviewRow(
                script.Name,
                script.Health,
                script.Reason,
                script.LastSuccess?.CompletedAt ?? script.LastSuccess?.StartedAt,
                script.LastSuccessAgeSeconds,
                [.. hosts],
                expectation?.Tags ?? []));
        }

        return new OverviewView(view.GeneratedAt, rows);
    }
}

/// <summary>Every script in brief.</summary>
/// <param name="GeneratedAt">The instant the rows were evaluated at.</param>
/// <param name="Scripts">The rows, by name.</param>
internal sealed record OverviewView(string GeneratedAt, IReadOnlyList<OverviewRow> Scripts);

/// <summary>One script in brief.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Health">Its state (<c>Up</c>, <c>Late</c>, <c>Failing</c>…); null where it was not evaluated.</param>
/// <param name="Reason">The first reason for the state.</param>
/// <param name="LastSuccessAt">When its last successful run completed; null if none.</param>
/// <param name="LastSuccessAgeSeconds">How long ago that was, at <see cref="OverviewView.GeneratedAt"/>.</param>
/// <param name="Hosts">The hosts its expectation names and its last success and failure ran on.</param>
/// <param name="Tags">Its expectation's tags.</param>
internal sealed record OverviewRow(string Name, string? Health, string? Reason, string? LastSuccessAt, double? LastSuccessAgeSeconds, IReadOnlyList<string> Hosts, IReadOnlyList<string> Tags);
