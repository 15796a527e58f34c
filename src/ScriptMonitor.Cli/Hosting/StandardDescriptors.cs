using ScriptMonitor.Cli.Exec;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>
/// Which of stdin, stdout and stderr the caller left closed (<c>scriptmon exec … &gt;&amp;-</c>, a common crontab idiom).
/// A closed slot is filled with /dev/null at once, before anything else opens a file: otherwise the database or a
/// lock file would become descriptor 1, and console output would be written into it. The job still gets the slot
/// closed, as it would unwrapped.
/// </summary>
internal sealed record StandardDescriptors(bool InputClosed, bool OutputClosed, bool ErrorClosed)
{
    private const string NullDevice = "/dev/null";

    /// <summary>None closed: for tests and hosts that start scriptmon in process.</summary>
    internal static StandardDescriptors AllOpen { get; } = new(false, false, false);

    internal bool IsClosed(int descriptor) => descriptor switch
    {
        Posix.StandardInput => InputClosed,
        Posix.StandardOutput => OutputClosed,
        Posix.StandardError => ErrorClosed,
        _ => false,
    };

    /// <summary>Looks at descriptors 0–2 and fills the closed ones; call first thing, before any file is opened.</summary>
    internal static StandardDescriptors Guard() => new(Guard(Posix.StandardInput), Guard(Posix.StandardOutput), Guard(Posix.StandardError));

    /// <summary>
    /// Whether the caller left <paramref name="descriptor"/> closed. A descriptor inherited across exec never has
    /// close-on-exec set; one that has it was opened in this process, by the runtime, in a slot the caller left
    /// free (the JIT host does so before any of scriptmon's code runs), and is not the caller's either.
    /// </summary>
    private static bool Guard(int descriptor)
    {
        var flags = LibC.Control(descriptor, LibC.GetDescriptorFlags, 0);
        if (flags >= 0)
        {
            return (flags & LibC.DescriptorCloseOnExec) != 0;
        }

        var opened = LibC.Open(NullDevice, LibC.OpenReadWrite | LibC.OpenCloseOnExec | LibC.OpenNoControllingTerminal, 0);
        if (opened >= 0 && opened != descriptor)
        {
            // A lower slot was free as well and is filled next; move this one to where it belongs.
            _ = LibC.Duplicate(opened, descriptor, LibC.OpenCloseOnExec);
            _ = LibC.Close(opened);
        }

        return true;
    }
}
