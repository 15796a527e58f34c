using System.Globalization;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// The tail of what a job appended to a regular file it was given as stdout or stderr. The job writes to the file
/// itself, with no pipe in between, so a background process that outlives it keeps writing there; the run's tail is
/// read back from the bytes the file grew by during the run.
/// </summary>
internal sealed class FileTail
{
    private readonly int _descriptor;
    private readonly long _startSize;

    private FileTail(int descriptor, DescriptorInfo info)
    {
        _descriptor = descriptor;
        Info = info;
        _startSize = info.Size;
    }

    internal DescriptorInfo Info { get; }

    /// <summary>Notes the file's size before the job starts.</summary>
    internal static FileTail Begin(int descriptor, DescriptorInfo info) => new(descriptor, info);

    /// <summary>
    /// The last <paramref name="limit"/> bytes appended since <see cref="Begin"/>, read through a new descriptor
    /// (scriptmon's own is usually write-only); nothing when the file cannot be read or did not grow.
    /// </summary>
    internal unsafe byte[] Appended(int limit)
    {
        if (DescriptorInfo.Of(_descriptor) is not { } now || now.Size <= _startSize)
        {
            return [];
        }

        var from = Math.Max(_startSize, now.Size - limit);
        var buffer = new byte[now.Size - from];
        var path = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{_descriptor}");
        var reader = LibC.Open(path, LibC.OpenReadOnly | LibC.OpenCloseOnExec | LibC.OpenNoControllingTerminal, 0);
        if (reader < 0)
        {
            return [];
        }

        try
        {
            var filled = 0;
            fixed (byte* start = buffer)
            {
                while (filled < buffer.Length)
                {
                    var read = LibC.PositionalRead(reader, start + filled, (nuint)(buffer.Length - filled), from + filled);
                    if (read <= 0)
                    {
                        break;
                    }

                    filled += (int)read;
                }
            }

            return buffer[..filled];
        }
        finally
        {
            _ = LibC.Close(reader);
        }
    }
}
