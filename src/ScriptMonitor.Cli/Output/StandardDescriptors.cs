using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Output;

/// <summary>
/// Keeps the files scriptmon opens off descriptors 0, 1 and 2. When one of them is closed at start
/// (<c>scriptmon status &gt;&amp;-</c>), the next file opened takes its number, and a line meant for standard
/// output would land in the spool, a lock file or the configuration. Each closed one is pointed at
/// <c>/dev/null</c> instead, as OpenSSH and the BSD daemons do, and remembered as closed, so that writing to it is
/// still reported as a failure.
/// </summary>
internal static partial class StandardDescriptors
{
    internal const int Input = 0;
    internal const int Output = 1;
    internal const int Error = 2;

    private const int GetDescriptorFlags = 1; // F_GETFD
    private const int ReadWrite = 2; // O_RDWR

    /// <summary>
    /// O_CLOEXEC: the placeholder is scriptmon's own; a child started later finds the descriptor closed, as it was.
    /// </summary>
    private const int CloseOnExec = 0x80000;

    /// <summary>Reserves every closed standard descriptor; returns which of 0, 1 and 2 were closed.</summary>
    internal static bool[] ReserveClosed()
    {
        var closed = new bool[Error + 1];
        if (!OperatingSystem.IsLinux())
        {
            return closed;
        }

        for (var descriptor = Input; descriptor <= Error; descriptor++)
        {
            if (FileControl(descriptor, GetDescriptorFlags) >= 0)
            {
                continue;
            }

            closed[descriptor] = true;
            var placeholder = OpenFile("/dev/null", ReadWrite | CloseOnExec);
            if (placeholder >= 0 && placeholder != descriptor)
            {
                // open(2) returns the lowest free number, which is this one unless a lower one was free too.
                _ = Duplicate(placeholder, descriptor, CloseOnExec);
                _ = CloseFile(placeholder);
            }
        }

        return closed;
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int FileControl(int descriptor, int command);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dup3")]
    private static partial int Duplicate(int from, int to, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFile(int descriptor);
}
