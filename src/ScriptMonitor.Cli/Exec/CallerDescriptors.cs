namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Which of stdin, stdout and stderr the caller left closed (<c>scriptmon exec … &gt;&amp;-</c>, a common crontab
/// idiom). scriptmon keeps its own files off those numbers (<see cref="Output.StandardDescriptors"/>); the job gets
/// them closed, as it would unwrapped.
/// </summary>
internal sealed record CallerDescriptors(bool InputClosed, bool OutputClosed, bool ErrorClosed)
{
    /// <summary>None closed: for tests and hosts that start scriptmon in process.</summary>
    internal static CallerDescriptors AllOpen { get; } = new(false, false, false);

    internal static CallerDescriptors From(IReadOnlyList<bool> closed) =>
        new(closed[Posix.StandardInput], closed[Posix.StandardOutput], closed[Posix.StandardError]);

    internal bool IsClosed(int descriptor) => descriptor switch
    {
        Posix.StandardInput => InputClosed,
        Posix.StandardOutput => OutputClosed,
        Posix.StandardError => ErrorClosed,
        _ => false,
    };
}
