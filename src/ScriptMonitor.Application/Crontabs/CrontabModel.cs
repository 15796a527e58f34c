namespace ScriptMonitor.Application.Crontabs;

/// <summary>How the lines of a crontab are laid out.</summary>
public enum CrontabFormat
{
    /// <summary>A user's crontab (<c>crontab -l</c>): the schedule, then the command.</summary>
    User,

    /// <summary><c>/etc/crontab</c> and the files of <c>/etc/cron.d</c>: the schedule, the user the job runs as, then the command.</summary>
    System,
}

/// <summary>The cron daemon whose reading of a crontab is followed; they differ in the time zone a job runs in.</summary>
public enum CronDaemon
{
    /// <summary>Debian's cron (vixie cron): every job runs in the host's zone; <c>CRON_TZ=</c> is only a variable.</summary>
    Debian,

    /// <summary>cronie (Fedora, RHEL, Arch): <c>CRON_TZ=</c> sets the zone of the lines after it.</summary>
    Cronie,
}

/// <summary>One job line of a crontab, as cron reads it.</summary>
/// <param name="File">The crontab it was read from, as shown to people.</param>
/// <param name="Line">Its line number, from 1.</param>
/// <param name="Schedule">The five fields joined by single spaces, or the @-name as written.</param>
/// <param name="User">The user it runs as, from the user field of a system crontab; null in a user's crontab.</param>
/// <param name="Command">The command as cron hands it to the shell: the text up to the first unescaped <c>%</c>, with <c>\%</c> read as <c>%</c>.</param>
/// <param name="Input">What cron writes to the command's standard input (the text after the first unescaped <c>%</c>, each further <c>%</c> a line break); null when there is none.</param>
/// <param name="Shell">The shell cron runs it with: the last <c>SHELL=</c> before it, else <c>/bin/sh</c>.</param>
/// <param name="CronTimeZone">The last <c>CRON_TZ=</c> before it, which only cronie honours; null when none.</param>
public sealed record CrontabEntry(string File, int Line, string Schedule, string? User, string Command, string? Input, string Shell, string? CronTimeZone)
{
    /// <summary>The variables the crontab sets before the line (the last value of each), which cron puts in the job's environment.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>A line cron would not read as a job, a variable, a comment or a blank line.</summary>
/// <param name="File">The crontab, as shown to people.</param>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Text">The line as written.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record CrontabProblem(string File, int Line, string Text, string Reason);

/// <summary>A crontab as cron reads it: its jobs (including @reboot ones) and the lines it would not understand.</summary>
/// <param name="Path">The crontab, as shown to people.</param>
/// <param name="Entries">The job lines, in order.</param>
/// <param name="Problems">The lines not understood, in order.</param>
public sealed record CrontabFile(string Path, IReadOnlyList<CrontabEntry> Entries, IReadOnlyList<CrontabProblem> Problems);

/// <summary>A job an import turns into an expectation.</summary>
/// <param name="File">The crontab.</param>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Name">The script name: the NAME of a <c>scriptmon exec NAME</c> already on the line, else one made from the command.</param>
/// <param name="Schedule">The cron schedule.</param>
/// <param name="TimeZone">The IANA zone cron runs the job in.</param>
/// <param name="NextDue">The next time cron runs it, in <paramref name="TimeZone"/>.</param>
/// <param name="FollowingDue">The time after that.</param>
/// <param name="User">The user it runs as, when the crontab says (system crontabs).</param>
/// <param name="Command">The command.</param>
/// <param name="Change">After an import was applied: <c>set</c>, <c>updated</c> or <c>unchanged</c>; null before.</param>
public sealed record CrontabImportJob(
    string File,
    int Line,
    string Name,
    string Schedule,
    string TimeZone,
    DateTimeOffset? NextDue,
    DateTimeOffset? FollowingDue,
    string? User,
    string Command,
    string? Change = null)
{
    /// <summary>Where the job's user records its runs (their configuration and the crontab's variables), as shown to people; null when the user is not known.</summary>
    public string? RecordsTo { get; init; }

    /// <summary>Why the job's runs would not reach the store the expectation goes to, and how to fix it; null when they would or when it cannot be told.</summary>
    public string? RecordingProblem { get; init; }
}

/// <summary>A job line an import reports and does not turn into an expectation.</summary>
/// <param name="File">The crontab.</param>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Schedule">The schedule as written.</param>
/// <param name="Command">The command.</param>
/// <param name="Reason">Why it is left out.</param>
public sealed record CrontabSkippedJob(string File, int Line, string Schedule, string Command, string Reason);

/// <summary>What an import of crontabs would do, or did.</summary>
/// <param name="Store">Where the expectations go, as shown to people.</param>
/// <param name="Applied">Whether the expectations were written.</param>
/// <param name="Jobs">The jobs that become expectations.</param>
/// <param name="Skipped">The jobs reported and left out.</param>
/// <param name="Problems">The lines not understood.</param>
public sealed record CrontabImportView(
    string Store,
    bool Applied,
    IReadOnlyList<CrontabImportJob> Jobs,
    IReadOnlyList<CrontabSkippedJob> Skipped,
    IReadOnlyList<CrontabProblem> Problems);
