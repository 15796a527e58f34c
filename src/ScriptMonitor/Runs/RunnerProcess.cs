using System.Globalization;

namespace ScriptMonitor.Runs;

/// <summary>
/// The process that records a run's start and will record its end: enough to tell, later and on the same host, whether
/// that process still lives. A process id alone cannot tell: ids are reused, and a reboot starts them over. The boot,
/// the process's start time and the pid namespace together name one process for good.
/// </summary>
/// <param name="BootId">The kernel's boot id (<c>/proc/sys/kernel/random/boot_id</c>): changes with every boot.</param>
/// <param name="ProcessId">The process id, as seen in <paramref name="PidNamespace"/>.</param>
/// <param name="StartTime">When the process started, in clock ticks after boot (field 22 of <c>/proc/PID/stat</c>).</param>
/// <param name="PidNamespace">The pid namespace the id belongs to (<c>pid:[4026531836]</c>, from <c>/proc/self/ns/pid</c>).</param>
public sealed record RunnerProcess(string BootId, int ProcessId, long StartTime, string PidNamespace)
{
    private const string ProcRoot = "/proc";

    /// <summary>The longest value of a text field a store keeps: a boot id is 36 characters, a namespace about 20.</summary>
    public const int MaxFieldLength = 64;

    private static readonly Lazy<(string BootId, string PidNamespace)?> ThisSystem = new(ReadThisSystem);

    /// <summary>This process, or null where the system does not say (no <c>/proc</c>).</summary>
    public static RunnerProcess? Current()
    {
        if (ThisSystem.Value is not { } system || ReadStartTime(Environment.ProcessId) is not { } started)
        {
            return null;
        }

        return new RunnerProcess(system.BootId, Environment.ProcessId, started, system.PidNamespace);
    }

    /// <summary>
    /// Whether this process still runs, asked on the host that recorded it: false when it is known to be gone (the host
    /// rebooted since, or no process with its id and start time exists), true when it runs, null when this process
    /// cannot tell (another pid namespace, or no <c>/proc</c>). Only ask for runs recorded under this machine's host name.
    /// </summary>
    public bool? IsAliveHere()
    {
        if (ThisSystem.Value is not { } system)
        {
            return null;
        }

        if (!string.Equals(system.BootId, BootId, StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.Equals(system.PidNamespace, PidNamespace, StringComparison.Ordinal))
        {
            return null;
        }

        return ReadStartTime(ProcessId) == StartTime;
    }

    /// <summary>How the runner reads in a message: <c>pid 4242 (boot 1b2c…, pid:[4026531836])</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"pid {ProcessId} started at tick {StartTime} (boot {BootId}, {PidNamespace})");

    private static (string, string)? ReadThisSystem()
    {
        try
        {
            var bootId = File.ReadAllText(Path.Combine(ProcRoot, "sys/kernel/random/boot_id")).Trim();
            var pidNamespace = new FileInfo(Path.Combine(ProcRoot, "self/ns/pid")).LinkTarget;
            return bootId.Length is > 0 and <= MaxFieldLength && pidNamespace is { Length: > 0 and <= MaxFieldLength }
                ? (bootId, pidNamespace)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Field 22 of <c>/proc/PID/stat</c>; the name in field 2 may hold spaces and parentheses, so fields are counted after its last ')'.</summary>
    private static long? ReadStartTime(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(ProcRoot, processId.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        const int FieldsAfterName = 19; // fields 3 (state) to 21 come before the start time
        var end = stat.LastIndexOf(')');
        if (end < 0)
        {
            return null;
        }

        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > FieldsAfterName && long.TryParse(fields[FieldsAfterName], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : null;
    }
}
