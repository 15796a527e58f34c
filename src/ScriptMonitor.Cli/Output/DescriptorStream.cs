using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Output;

/// <summary>
/// Writes to a file descriptor with write(2), and fails as it fails. The console streams of .NET pass over a closed
/// pipe (EPIPE) in silence, so <c>scriptmon status | head -1</c> would claim success; and a <see cref="FileStream"/>
/// keeps an offset of its own on a regular file, so <c>{ scriptmon status; echo done; } &gt; file</c> would let the
/// shell write over it. write(2) shares the descriptor's offset with everyone who writes to it, as a shell expects.
/// </summary>
internal sealed partial class DescriptorStream(int descriptor) : Stream
{
    private const int Interrupted = 4; // EINTR

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <exception cref="IOException">The write failed; its HResult is the errno.</exception>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var written = WriteBytes(descriptor, start + done, (nuint)(buffer.Length - done));
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Interrupted)
                {
                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteBytes(int descriptor, byte* buffer, nuint count);
}
