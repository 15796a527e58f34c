namespace ScriptMonitor.Health;

/// <summary>
/// Which <see cref="HealthState"/> is which check status. By default an outage (failing, abandoned, skipped, missing,
/// late, stuck) is CRITICAL, something odd that still runs (never ran, runtime anomalies, rate, a run from the future)
/// is a WARNING, up, paused and learning are OK, and a script that cannot be evaluated is UNKNOWN. Any state can be
/// moved with <c>state=status</c> pairs.
/// </summary>
public sealed class CheckPolicy
{
    private static readonly Dictionary<HealthState, CheckStatus> Defaults = new()
    {
        [HealthState.Up] = CheckStatus.Ok,
        [HealthState.Paused] = CheckStatus.Ok,
        [HealthState.Maintenance] = CheckStatus.Ok,
        [HealthState.Learning] = CheckStatus.Ok,
        [HealthState.TooOften] = CheckStatus.Warning,
        [HealthState.TooRare] = CheckStatus.Warning,
        [HealthState.RuntimeTooShort] = CheckStatus.Warning,
        [HealthState.RuntimeTooLong] = CheckStatus.Warning,
        [HealthState.NeverRan] = CheckStatus.Warning,
        [HealthState.FutureRun] = CheckStatus.Warning,
        [HealthState.RunningTooLong] = CheckStatus.Critical,
        [HealthState.Late] = CheckStatus.Critical,
        [HealthState.Missing] = CheckStatus.Critical,
        [HealthState.Skipped] = CheckStatus.Critical,
        [HealthState.Abandoned] = CheckStatus.Critical,
        [HealthState.Failing] = CheckStatus.Critical,
        [HealthState.Unknown] = CheckStatus.Unknown,
    };

    private readonly Dictionary<HealthState, CheckStatus> _statuses;

    private CheckPolicy(Dictionary<HealthState, CheckStatus> statuses)
    {
        _statuses = statuses;
    }

    /// <summary>The default mapping of each health state to a status, as docs/health.md lists it.</summary>
    public static CheckPolicy Default { get; } = new(Defaults);

    /// <summary>The status a script in <paramref name="state"/> gives the check.</summary>
    /// <param name="state">The script's state.</param>
    public CheckStatus StatusOf(HealthState state) => _statuses[state];

    /// <summary>
    /// How bad a status is when several are combined: OK, then UNKNOWN, WARNING and CRITICAL (the Monitoring Plugins'
    /// <c>max_state_alt</c>), so that one script that cannot be evaluated never hides another that is critical.
    /// </summary>
    internal static int Severity(CheckStatus status) => status switch
    {
        CheckStatus.Ok => 0,
        CheckStatus.Unknown => 1,
        CheckStatus.Warning => 2,
        _ => 3,
    };

    /// <summary>Reads <c>late=warning,toorare=critical</c>: states and statuses without case; unnamed states keep their default.</summary>
    /// <exception cref="FormatException">A pair names an unknown state or status; the message says which.</exception>
    public static CheckPolicy Parse(string? pairs)
    {
        if (string.IsNullOrWhiteSpace(pairs))
        {
            return Default;
        }

        var statuses = new Dictionary<HealthState, CheckStatus>(Defaults);
        foreach (var pair in pairs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                throw new FormatException($"'{pair}' must be STATE=STATUS, for example late=warning.");
            }

            if (!Enum.TryParse<HealthState>(parts[0], ignoreCase: true, out var state) || !Enum.IsDefined(state) || char.IsAsciiDigit(parts[0][0]))
            {
                throw new FormatException($"'{parts[0]}' is not a state; use one of {string.Join(", ", Enum.GetNames<HealthState>())}.");
            }

            if (!Enum.TryParse<CheckStatus>(parts[1], ignoreCase: true, out var status) || !Enum.IsDefined(status) || char.IsAsciiDigit(parts[1][0]))
            {
                throw new FormatException($"'{parts[1]}' is not a status; use ok, warning, critical or unknown.");
            }

            statuses[state] = status;
        }

        return new CheckPolicy(statuses);
    }
}
