using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Output;

/// <summary>Why a standard stream could not be written: the error number where the system gave one.</summary>
/// <param name="Errno">The <c>errno</c> of the failed write, or null when the failure carried none.</param>
/// <param name="Detail">What went wrong, as the system says it.</param>
internal sealed record OutputFailure(int? Errno, string Detail)
{
    /// <summary>EBADF: the descriptor is not open (<c>&gt;&amp;-</c>).</summary>
    internal const int BadDescriptor = 9;

    /// <summary>EPIPE: nobody reads the pipe any more (<c>scriptmon status | head -1</c>).</summary>
    internal const int BrokenPipe = 32;

    /// <summary>The largest errno Linux defines is below this; an HResult under it on Unix is an errno.</summary>
    private const int ErrnoLimit = 4096;

    /// <summary>The descriptor was closed before scriptmon started.</summary>
    internal static OutputFailure Closed { get; } = new(BadDescriptor, "it is closed");

    /// <summary>Whether the reader went away: as with any tool in a pipe, that is no error worth a message.</summary>
    internal bool IsBrokenPipe => Errno == BrokenPipe;

    /// <summary>The failure of a write, or null when <paramref name="exception"/> is not one (it is rethrown then).</summary>
    internal static OutputFailure? From(Exception exception)
    {
        if (exception is not (IOException or UnauthorizedAccessException or ObjectDisposedException))
        {
            return null;
        }

        // On Unix an I/O exception carries the errno as its HResult, sometimes on an inner exception only.
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException && e.HResult is > 0 and < ErrnoLimit)
            {
                return e.HResult == BadDescriptor ? Closed : new OutputFailure(e.HResult, Marshal.GetPInvokeErrorMessage(e.HResult));
            }
        }

        return new OutputFailure(null, $"the write failed ({exception.GetType().Name})");
    }
}
