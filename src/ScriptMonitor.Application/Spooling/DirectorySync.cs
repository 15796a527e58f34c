using System.Runtime.InteropServices;

namespace ScriptMonitor.Application.Spooling;

/// <summary>
/// Flushes a directory's entries to disk. A file renamed into place survives a power cut only once its directory
/// is flushed too, and .NET has no API for that.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    internal static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnlyDirectory);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(descriptor);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
