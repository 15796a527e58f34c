using System.Text;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Where the job's stdout and stderr go, and how their tail is kept for the run's record:
/// <list type="bullet">
/// <item>a stream the caller closed stays closed for the job;</item>
/// <item>a regular file or a terminal is given to the job as it is (the job sees a file or a terminal, as it would
/// unwrapped, and a background process keeps writing there after the run); a file's tail is read back from what it
/// grew by during the run;</item>
/// <item>anything else (a pipe, a socket, /dev/null) gets a pipe of scriptmon's in between, copied through by
/// <see cref="OutputCopier"/>; stdout and stderr that are one pipe (<c>2&gt;&amp;1 | mail</c>) share one pipe, so their
/// order is kept.</item>
/// </list>
/// </summary>
internal sealed class JobOutput
{
    /// <summary>How long output is still copied after the job exited, before the pipes are handed to a relay.</summary>
    internal static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private readonly List<(int From, int To)> _duplicates = [];
    private readonly List<int> _closes = [];
    private readonly List<int> _childEnds = [];
    private readonly List<OutputRoute> _routes = [];
    private readonly List<FileTail> _files = [];
    private readonly OutputTail _piped;
    private OutputCopier? _copier;

    private JobOutput(int tailCapacity) => _piped = new OutputTail(tailCapacity);

    /// <summary>Decides, per stream, and creates the pipes needed.</summary>
    /// <exception cref="IOException">A pipe could not be created (out of descriptors).</exception>
    internal static JobOutput Prepare(CallerDescriptors descriptors, int tailCapacity)
    {
        var output = new JobOutput(tailCapacity);
        try
        {
            output.Plan(descriptors);
            return output;
        }
        catch
        {
            output.Abandon();
            throw;
        }
    }

    /// <summary>The descriptors the job gets: these dup2s and closes, added to <paramref name="options"/>.</summary>
    internal SpawnOptions ApplyTo(SpawnOptions options) => options with
    {
        Duplicates = [.. options.Duplicates, .. _duplicates],
        Closes = [.. options.Closes, .. _closes],
    };

    /// <summary>The job runs: scriptmon's copies of the pipes' write ends go, and copying starts.</summary>
    internal void Started()
    {
        foreach (var end in _childEnds)
        {
            Posix.CloseQuietly(end);
        }

        _childEnds.Clear();
        if (_routes.Count > 0)
        {
            _copier = new OutputCopier(_routes, _piped);
            _copier.Start();
        }
    }

    /// <summary>The job never started: every pipe goes.</summary>
    internal void Abandon()
    {
        foreach (var end in _childEnds.Concat(_routes.Select(route => route.Source)))
        {
            Posix.CloseQuietly(end);
        }

        _childEnds.Clear();
        _routes.Clear();
    }

    /// <summary>
    /// Waits (at most <see cref="DrainLimit"/>) for the job's pipes to end, then returns the tail: what the files
    /// grew by, then what came through the pipes, as text; and the write failures met on the way.
    /// </summary>
    internal (string Tail, IReadOnlyList<string> Warnings) Drain(int maxCharacters)
    {
        _copier?.WaitForEnd(DrainLimit);
        var bytes = new List<byte>();
        foreach (var file in _files)
        {
            bytes.AddRange(file.Appended(maxCharacters));
        }

        bytes.AddRange(_piped.Bytes());
        var text = Encoding.UTF8.GetString([.. bytes]);
        return (text.Length > maxCharacters ? text[^maxCharacters..] : text, _copier?.Warnings ?? []);
    }

    /// <summary>
    /// Pipes a background process still holds are handed to a detached relay, so its late output keeps going where
    /// output was going; scriptmon's own ends are closed either way.
    /// </summary>
    /// <returns>Why a relay could not be started, if it could not (late output then ends with SIGPIPE).</returns>
    internal string? HandOff()
    {
        if (_copier is null)
        {
            return null;
        }

        var open = _copier.Stop();
        if (open.Count == 0)
        {
            return null;
        }

        try
        {
            OutputRelay.Start(open);
            return null;
        }
        catch (SpawnException e)
        {
            return e.Message;
        }
        finally
        {
            foreach (var route in open)
            {
                Posix.CloseQuietly(route.Source);
            }
        }
    }

    private void Plan(CallerDescriptors descriptors)
    {
        foreach (var descriptor in (int[])[Posix.StandardInput, Posix.StandardOutput, Posix.StandardError])
        {
            if (descriptors.IsClosed(descriptor))
            {
                _closes.Add(descriptor);
            }
        }

        DescriptorInfo? outputInfo = null;
        int? outputPipe = null;
        foreach (var descriptor in (int[])[Posix.StandardOutput, Posix.StandardError])
        {
            if (descriptors.IsClosed(descriptor) || LibC.IsTerminal(descriptor) == 1)
            {
                continue;
            }

            var info = DescriptorInfo.Of(descriptor);
            var sameAsOutput = descriptor == Posix.StandardError && info is { } e && outputInfo is { } o && e.SameObject(o);
            if (descriptor == Posix.StandardOutput)
            {
                outputInfo = info;
            }

            if (info is { IsRegularFile: true } file)
            {
                if (!sameAsOutput)
                {
                    _files.Add(FileTail.Begin(descriptor, file));
                }

                continue;
            }

            if (sameAsOutput && outputPipe is { } shared)
            {
                _duplicates.Add((shared, descriptor));
                continue;
            }

            var write = CreatePipe(descriptor);
            if (descriptor == Posix.StandardOutput)
            {
                outputPipe = write;
            }
        }
    }

    private unsafe int CreatePipe(int target)
    {
        var ends = stackalloc int[2];
        if (LibC.Pipe(ends, LibC.OpenCloseOnExec) != 0)
        {
            throw new IOException($"cannot create a pipe for the command's output: {LibC.Describe(LibC.LastError)}");
        }

        _routes.Add(new OutputRoute(ends[0], target, target == Posix.StandardError ? "standard error" : "standard output"));
        _childEnds.Add(ends[1]);
        _duplicates.Add((ends[1], target));
        return ends[1];
    }
}
