using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Status;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Checks;

/// <summary>The monitoring checks answered from a store, read only.</summary>
/// <param name="access">The store.</param>
/// <param name="timeProvider">The clock "now" comes from.</param>
/// <param name="logger">Where problems that do not stop the answer are said.</param>
public sealed class StoreHealthCheck(StoreAccess access, TimeProvider timeProvider, ILogger logger) : IHealthCheck
{
    /// <summary>The path of a refused window of <see cref="CheckWindowAsync"/>.</summary>
    public const string WindowPath = "MINUTES";

    /// <summary>The path of a refused pair of <see cref="CheckWindowAsync"/>.</summary>
    public const string PairPath = "HOST:SCRIPT";

    /// <summary>The answer to a problem that stops a check (an unusable store, bad input): UNKNOWN, saying why.</summary>
    /// <param name="message">Why.</param>
    public static CheckView Unknown(string message) => View(CheckReport.Unknown(message));

    /// <inheritdoc/>
    public async Task<CheckView> CheckHealthAsync(HealthCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        CheckPolicy? policy = null;
        try
        {
            policy = CheckPolicy.Parse(request.Map);
        }
        catch (FormatException e)
        {
            errors.Add(new FieldError("map", "state-status", $"map: {e.Message}"));
        }

        for (var i = 0; i < request.Scripts.Count; i++)
        {
            errors.AddRange(Refusals(() => RunValidation.ScriptName(request.Scripts[i], $"scripts[{i}]")));
        }

        if (request.Tag is not null)
        {
            errors.AddRange(Refusals(() => RunValidation.Hostname(request.Tag, "tag")));
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        using var store = access.OpenForReading();
        if (store is null)
        {
            return Unknown($"no runs recorded yet in {access.Location}");
        }

        var names = request.Scripts.Distinct(StringComparer.Ordinal).ToList();
        var gone = await GoneRunners.FindAsync(store, timeProvider.GetUtcNow(), logger, cancellationToken).ConfigureAwait(false);
        var monitor = new HealthMonitor(store, timeProvider);
        var health = await monitor.EvaluateAsync(names.Count == 0 ? null : names, request.Tag, gone, cancellationToken).ConfigureAwait(false);
        var evaluated = health.Select(h => h.ScriptName).ToHashSet(StringComparer.Ordinal);
        if (request.Tag is null && names.FirstOrDefault(n => !evaluated.Contains(n)) is { } unknown)
        {
            return Unknown($"no script named '{unknown}' has runs or an expectation in {access.Location}");
        }

        return View(NagiosFormat.Format(health, policy!, timeProvider.GetUtcNow()));
    }

    /// <inheritdoc/>
    public async Task<CheckView> CheckWindowAsync(WindowCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!WindowCheck.TryParse(request.Minutes, request.Pairs, out var span, out var parsed, out var error))
        {
            // The core names the window MINUTES and each pair HOST:SCRIPT, as the original monitor's usage did.
            var window = error!.StartsWith(WindowPath, StringComparison.Ordinal);
            throw new ValidationException([new FieldError(window ? WindowPath : PairPath, window ? "range" : "host-script", error)]);
        }

        var now = timeProvider.GetUtcNow();
        using var store = access.OpenForReading();
        return View(store is null
            ? WindowCheck.Report(parsed.Select(p => (p, (DateTimeOffset?)null)).ToList(), now, span)
            : await WindowCheck.RunAsync(store, parsed, span, now, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The broken rules of a check of one field, none when it passes.</summary>
    private static IEnumerable<FieldError> Refusals(Action check)
    {
        try
        {
            check();
            return [];
        }
        catch (ValidationException e)
        {
            return e.Errors;
        }
        catch (ArgumentException e)
        {
            return [new FieldError(e.ParamName ?? string.Empty, "invalid", e.Message)];
        }
    }

    private static CheckView View(CheckReport report) => new(NagiosFormat.Name(report.Status), report.ExitCode, report.Text);
}
