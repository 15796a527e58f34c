namespace ScriptMonitor.Cli.Output;

/// <summary>
/// Where human output goes, and whether it may be coloured: only on a terminal, and never when <c>NO_COLOR</c> is set.
/// Neither stream ever throws: a write that fails is remembered, and <see cref="Finish"/> turns it into one line on
/// standard error and a failing exit status.
/// </summary>
internal sealed class Terminal
{
    private const string Reset = "\u001b[0m";
    private readonly OutputWriter _out;
    private readonly OutputWriter _error;

    internal Terminal(TextWriter output, TextWriter error, bool colour)
        : this(() => output, () => error, colour)
    {
    }

    private Terminal(Func<TextWriter> output, Func<TextWriter> error, bool colour)
    {
        _out = new OutputWriter(output);
        _error = new OutputWriter(error);
        Colour = colour;
    }

    internal TextWriter Out => _out;

    internal TextWriter Error => _error;

    internal bool Colour { get; }

    /// <summary>Why standard output could not be written, or null while it could.</summary>
    internal OutputFailure? OutputFailure => _out.Failure;

    internal static Terminal FromConsole() => new(
        () => OpenStandard(StandardDescriptors.Output),
        () => OpenStandard(StandardDescriptors.Error),
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>
    /// Points closed standard descriptors at <c>/dev/null</c> (see <see cref="StandardDescriptors"/>) and makes a
    /// closed standard output a failure at its first write. For every command but <c>exec</c>, whose job inherits the
    /// descriptors as they are.
    /// </summary>
    internal void ReserveClosedDescriptors()
    {
        var closed = StandardDescriptors.ReserveClosed();
        if (closed[StandardDescriptors.Output])
        {
            _out.FailFromStart(Output.OutputFailure.Closed);
        }

        if (closed[StandardDescriptors.Error])
        {
            _error.FailFromStart(Output.OutputFailure.Closed);
        }
    }

    /// <summary>
    /// Flushes standard output and settles the exit status: a command whose output could not be written exits
    /// <paramref name="failedStatus"/> after one line on standard error, or <paramref name="brokenPipeStatus"/>
    /// without a word when the reader went away (as <c>scriptmon status | head -1</c> does).
    /// </summary>
    internal int Finish(int status, int failedStatus, int brokenPipeStatus)
    {
        _out.Flush();
        if (_out.Failure is not { } failure || !_out.Used)
        {
            _error.Flush();
            return status;
        }

        if (failure.IsBrokenPipe)
        {
            _error.Flush();
            return brokenPipeStatus;
        }

        _error.WriteLine($"scriptmon: error: the output could not be written to standard output: {failure.Detail}.");
        _error.Flush();
        return failedStatus;
    }

    internal string Paint(string text, Tint tint) =>
        !Colour || tint == Tint.None || text.Length == 0 ? text : $"{Code(tint)}{text}{Reset}";

    /// <summary>
    /// UTF-8 without a byte order mark, flushed at every write, so stdout and stderr keep their order. On Windows,
    /// which has no descriptors to write to, the console's own stream.
    /// </summary>
    private static StreamWriter OpenStandard(int descriptor) => new(
        OperatingSystem.IsWindows()
            ? descriptor == StandardDescriptors.Output ? Console.OpenStandardOutput() : Console.OpenStandardError()
            : new DescriptorStream(descriptor),
        new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false))
    {
        AutoFlush = true,
    };

    private static string Code(Tint tint) => tint switch
    {
        Tint.Good => "\u001b[32m",
        Tint.Bad => "\u001b[31m",
        Tint.Warn => "\u001b[33m",
        Tint.Dim => "\u001b[2m",
        Tint.Bold => "\u001b[1m",
        _ => string.Empty,
    };
}

/// <summary>What a piece of output means, for colouring it on a terminal.</summary>
internal enum Tint
{
    None,
    Good,
    Bad,
    Warn,
    Dim,
    Bold,
}
