using System.Globalization;
using System.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The original monitor's check: for each <c>HOST:SCRIPT</c>, a successful run must have completed on that host in
/// the last so many minutes; otherwise "The script 'S' didn't run on 'H' between A and B (last seen C)". All in UTC.
/// </summary>
public static class WindowCheck
{
    /// <summary>The longest window: a year, beyond which "recently" means nothing.</summary>
    internal const int MaxMinutes = 366 * 24 * 60;

    /// <summary>Reads the arguments, or says what is wrong with them.</summary>
    public static bool TryParse(string? minutes, IReadOnlyList<string> pairs, out TimeSpan window, out List<HostScript> parsed, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        window = TimeSpan.Zero;
        parsed = [];
        if (!int.TryParse(minutes, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxMinutes)
        {
            error = $"MINUTES must be a whole number from 1 to {MaxMinutes} (it is '{minutes}').";
            return false;
        }

        if (pairs.Count == 0)
        {
            error = "at least one HOST:SCRIPT must be given.";
            return false;
        }

        foreach (var text in pairs)
        {
            if (!HostScript.TryParse(text, out var pair, out error))
            {
                return false;
            }

            parsed.Add(pair!);
        }

        window = TimeSpan.FromMinutes(count);
        error = null;
        return true;
    }

    /// <summary>The sentence of a pair that did not run, or null when it did.</summary>
    internal static string? Failure(HostScript pair, DateTimeOffset? lastCompleted, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var from = now - window;
        if (lastCompleted is { } completed && completed >= from && completed <= now)
        {
            return null;
        }

        var seen = lastCompleted is { } last ? $" (last seen {Timestamps.Format(last)})" : string.Empty;
        return $"The script '{pair.Script}' didn't run on '{pair.Host}' between {Timestamps.Format(from)} and {Timestamps.Format(now)}{seen}";
    }

    /// <summary>OK when every pair ran in the window, CRITICAL otherwise; one line per failure after the status line.</summary>
    public static CheckReport Report(IReadOnlyList<(HostScript Pair, DateTimeOffset? LastCompleted)> results, DateTimeOffset now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(results);
        var failures = results.Select(r => Failure(r.Pair, r.LastCompleted, now, window)).OfType<string>().ToList();
        var minutes = ((long)window.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        var perf = $" | checked={results.Count};;;0 failed={failures.Count};;;0";
        if (failures.Count == 0)
        {
            return new CheckReport(CheckStatus.Ok, $"{NagiosFormat.ServiceName} OK - all {results.Count} scripts ran in the last {minutes} minutes{perf}\n");
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{NagiosFormat.ServiceName} CRITICAL - {NagiosFormat.Clean(failures[0])}");
        if (failures.Count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" (and {failures.Count - 1} more)");
        }

        text.Append(perf).Append('\n');
        foreach (var failure in failures)
        {
            text.Append(NagiosFormat.Clean(failure)).Append('\n');
        }

        return new CheckReport(CheckStatus.Critical, text.ToString());
    }

    /// <summary>Reads each pair's latest success on its host from the store, and reports.</summary>
    public static async Task<CheckReport> RunAsync(IScriptRunStore store, IReadOnlyList<HostScript> pairs, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pairs);
        var results = new List<(HostScript, DateTimeOffset?)>(pairs.Count);
        foreach (var pair in pairs)
        {
            var runs = await store.ListRunsAsync(new RunQuery(pair.Script) { Hostname = pair.Host, Outcome = RunOutcome.Succeeded, Limit = 1 }, cancellationToken).ConfigureAwait(false);
            results.Add((pair, runs.Count > 0 ? runs[0].CompletedAt : null));
        }

        return Report(results, now, window);
    }
}
