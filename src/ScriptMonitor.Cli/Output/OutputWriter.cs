using System.Text;

namespace ScriptMonitor.Cli.Output;

/// <summary>
/// Standard output or standard error as a writer that never throws. A closed descriptor, a full disk or a reader that
/// went away must not abort a command half way (and, unhandled, with a stack trace): the first failure is kept, what
/// follows is dropped, and the command finishes and says so once (see <see cref="Terminal.Finish"/>).
/// </summary>
internal sealed class OutputWriter : TextWriter
{
    private readonly Func<TextWriter> _open;
    private TextWriter? _inner;

    /// <param name="open">Opens the real writer on first use, so a command that writes nothing touches nothing.</param>
    internal OutputWriter(Func<TextWriter> open)
    {
        _open = open;
    }

    /// <summary>The first write that failed, or null while every write succeeded.</summary>
    internal OutputFailure? Failure { get; private set; }

    /// <summary>Whether anything was written, or tried: a descriptor closed at start matters only then.</summary>
    internal bool Used { get; private set; }

    /// <summary>A failure known before anything is written: the descriptor was closed when scriptmon started.</summary>
    internal void FailFromStart(OutputFailure failure) => Failure ??= failure;

    public override Encoding Encoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public override void Write(char value)
    {
        if (Begin() is { } writer)
        {
            try
            {
                writer.Write(value);
            }
            catch (Exception e) when (OutputFailure.From(e) is { } failure)
            {
                Failure = failure;
            }
        }
    }

    public override void Write(string? value)
    {
        if (Begin() is { } writer)
        {
            try
            {
                writer.Write(value);
            }
            catch (Exception e) when (OutputFailure.From(e) is { } failure)
            {
                Failure = failure;
            }
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        if (Begin() is { } writer)
        {
            try
            {
                writer.Write(buffer, index, count);
            }
            catch (Exception e) when (OutputFailure.From(e) is { } failure)
            {
                Failure = failure;
            }
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (Begin() is { } writer)
        {
            try
            {
                writer.Write(buffer);
            }
            catch (Exception e) when (OutputFailure.From(e) is { } failure)
            {
                Failure = failure;
            }
        }
    }

    public override void WriteLine(string? value) => Write(value + NewLine);

    public override void Flush()
    {
        if (_inner is { } writer && Failure is null)
        {
            try
            {
                writer.Flush();
            }
            catch (Exception e) when (OutputFailure.From(e) is { } failure)
            {
                Failure = failure;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    /// <summary>The real writer, or null once a write failed (the rest is dropped).</summary>
    private TextWriter? Begin()
    {
        Used = true;
        if (Failure is not null)
        {
            return null;
        }

        try
        {
            return _inner ??= _open();
        }
        catch (Exception e) when (OutputFailure.From(e) is { } failure)
        {
            Failure = failure;
            return null;
        }
    }
}
