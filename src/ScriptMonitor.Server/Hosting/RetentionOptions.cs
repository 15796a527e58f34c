namespace ScriptMonitor.Server.Hosting;

/// <summary>
/// The <c>Server:Retention</c> settings: what the server prunes by itself, every <see cref="Interval"/>. Every
/// script's last success is always kept, whatever its age.
/// </summary>
internal sealed class RetentionOptions
{
    /// <summary>Runs that started more than this many days ago are deleted; 0 keeps runs for ever.</summary>
    public int RunDays { get; set; } = 400;

    /// <summary>However old, each script's newest this many runs stay (so a script that runs yearly keeps its history).</summary>
    public int KeepLastRuns { get; set; } = 100;

    /// <summary>The output of runs that started more than this many days ago is cleared, the run kept; 0 keeps output as long as the run.</summary>
    public int OutputDays { get; set; } = 30;

    /// <summary>How often the policy is applied; the first pass comes at most <see cref="FirstPassAfter"/> after the start.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest wait for the first pass: soon after the start, but not in the middle of starting.</summary>
    public static readonly TimeSpan FirstPassAfter = TimeSpan.FromMinutes(1);

    /// <summary>Whether anything is pruned at all.</summary>
    public bool Enabled => (RunDays > 0 || OutputDays > 0) && Interval > TimeSpan.Zero;
}
