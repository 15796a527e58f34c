namespace ScriptMonitor.Cli.Exec;

/// <summary>One pipe the job writes to, and where its bytes go.</summary>
/// <param name="Source">The read end of the job's pipe.</param>
/// <param name="Target">scriptmon's own descriptor the bytes are passed to.</param>
/// <param name="Stream">"standard output" or "standard error", for messages.</param>
internal sealed record OutputRoute(int Source, int Target, string Stream);

/// <summary>
/// Copies the job's pipes to where its output was going, byte for byte, keeping their tail. It runs on a thread of
/// its own: a blocked reader stalls only this copy (as it would stall the job unwrapped), never the timeout or the
/// wait for the job. When the reader goes away (EPIPE) the job's pipe is closed too, so the job gets SIGPIPE as it
/// would unwrapped; any other write failure (a full disk, an I/O error) is scriptmon's problem, not the job's: the
/// copy keeps draining the pipe and the failure becomes a warning on the run.
/// </summary>
internal sealed class OutputCopier
{
    private const int CopyBufferSize = 64 * 1024;

    private readonly List<OutputRoute> _open;
    private readonly OutputTail? _tail;
    private readonly HashSet<int> _failedTargets = [];
    private readonly List<string> _warnings = [];
    private readonly Lock _gate = new();
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private Thread? _thread;
    private volatile bool _stopping;

    internal unsafe OutputCopier(IEnumerable<OutputRoute> routes, OutputTail? tail)
    {
        _open = [.. routes];
        _tail = tail;
        var wake = stackalloc int[2];
        if (LibC.Pipe(wake, LibC.OpenCloseOnExec) != 0)
        {
            throw new IOException($"cannot create a pipe: {LibC.Describe(LibC.LastError)}");
        }

        (_wakeRead, _wakeWrite) = (wake[0], wake[1]);
    }

    /// <summary>Write failures that were not the reader going away, as sentences for the run's record.</summary>
    internal IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>Copies on a background thread until every pipe ends or <see cref="Stop"/>.</summary>
    internal void Start()
    {
        _thread = new Thread(Copy) { IsBackground = true, Name = "scriptmon output" };
        _thread.Start();
    }

    /// <summary>Copies on this thread until every pipe ends (the detached relay).</summary>
    internal void Run() => Copy();

    /// <summary>Waits up to <paramref name="limit"/> for every pipe to end; true when they did.</summary>
    internal bool WaitForEnd(TimeSpan limit) => _thread?.Join(limit) ?? true;

    /// <summary>
    /// Stops copying after the write in progress, and returns the pipes still open (not closed: they are handed on).
    /// </summary>
    internal IReadOnlyList<OutputRoute> Stop()
    {
        _stopping = true;
        _ = Posix.WriteAll(_wakeWrite, [0]);
        _thread?.Join();
        Posix.CloseQuietly(_wakeRead);
        Posix.CloseQuietly(_wakeWrite);
        lock (_gate)
        {
            return [.. _open];
        }
    }

    private unsafe void Copy()
    {
        var buffer = new byte[CopyBufferSize];
        var descriptors = stackalloc PollDescriptor[3];
        while (!_stopping)
        {
            OutputRoute[] routes;
            lock (_gate)
            {
                routes = [.. _open];
            }

            if (routes.Length == 0)
            {
                return;
            }

            for (var i = 0; i < routes.Length; i++)
            {
                descriptors[i] = new PollDescriptor { Descriptor = routes[i].Source, Events = LibC.PollIn };
            }

            descriptors[routes.Length] = new PollDescriptor { Descriptor = _wakeRead, Events = LibC.PollIn };
            if (LibC.Poll(descriptors, (nuint)(routes.Length + 1), -1) < 0)
            {
                continue;
            }

            for (var i = 0; i < routes.Length && !_stopping; i++)
            {
                if (descriptors[i].Returned != 0 && !Pump(routes[i], buffer))
                {
                    Posix.CloseQuietly(routes[i].Source);
                    lock (_gate)
                    {
                        _open.Remove(routes[i]);
                    }
                }
            }
        }
    }

    /// <summary>Passes on what one pipe holds; false when the pipe ended or must be closed.</summary>
    private unsafe bool Pump(OutputRoute route, byte[] buffer)
    {
        nint read;
        fixed (byte* start = buffer)
        {
            do
            {
                read = LibC.Read(route.Source, start, (nuint)buffer.Length);
            }
            while (read < 0 && LibC.LastError == LibC.Interrupted);
        }

        if (read < 0)
        {
            return LibC.LastError == LibC.TryAgain;
        }

        if (read == 0)
        {
            return false;
        }

        var bytes = buffer.AsSpan(0, (int)read);
        _tail?.Append(bytes);
        if (_failedTargets.Contains(route.Target))
        {
            return true;
        }

        var error = Posix.WriteAll(route.Target, bytes);
        if (error == LibC.BrokenPipe)
        {
            return false;
        }

        if (error != 0)
        {
            _failedTargets.Add(route.Target);
            lock (_gate)
            {
                _warnings.Add($"the command's {route.Stream} could not be passed on ({LibC.Describe(error)}); the rest of it was discarded");
            }
        }

        return true;
    }
}
