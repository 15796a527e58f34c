using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Checks;

/// <summary>
/// The monitoring checks, as a Nagios or Icinga plugin answers them: the health of scripts, and the original monitor's
/// "did it run on that host lately". A check answers everything, an unusable store included, with a status; only
/// input that breaks a rule is refused.
/// </summary>
public interface IHealthCheck
{
    /// <summary>Checks the health of every script, the named ones, or those with a tag.</summary>
    /// <param name="request">Which scripts, and which state is which status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">A name, the tag or the map breaks a rule; paths <c>scripts[i]</c>, <c>tag</c>, <c>map</c>.</exception>
    Task<CheckView> CheckHealthAsync(HealthCheckRequest request, CancellationToken cancellationToken = default);

    /// <summary>Checks that a successful run of each script completed on its host in the last minutes given.</summary>
    /// <param name="request">The window and the pairs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The window or a pair breaks a rule; paths <c>MINUTES</c>, <c>HOST:SCRIPT</c>.</exception>
    Task<CheckView> CheckWindowAsync(WindowCheckRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Which scripts a health check covers, and how states map to statuses.</summary>
/// <param name="Scripts">Only these scripts; empty for all.</param>
/// <param name="Tag">Only scripts whose expectation has this tag; null for all.</param>
/// <param name="Map">Which state is which status, as <c>late=warning,toorare=critical</c>; null for the defaults.</param>
public sealed record HealthCheckRequest(IReadOnlyList<string> Scripts, string? Tag = null, string? Map = null);

/// <summary>The original monitor's check: a window in minutes and <c>HOST:SCRIPT</c> pairs.</summary>
/// <param name="Minutes">The window, a whole number of minutes, as given.</param>
/// <param name="Pairs">The <c>HOST:SCRIPT</c> pairs; a script name may hold colons, a host name may not.</param>
public sealed record WindowCheckRequest(string Minutes, IReadOnlyList<string> Pairs);
