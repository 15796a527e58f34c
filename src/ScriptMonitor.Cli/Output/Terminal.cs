namespace ScriptMonitor.Cli.Output;

/// <summary>
/// Where human output goes, and whether it may be coloured: only on a terminal, and never when <c>NO_COLOR</c> is set.
/// </summary>
internal sealed class Terminal(TextWriter output, TextWriter error, bool colour)
{
    private const string Reset = "\u001b[0m";

    internal TextWriter Out { get; } = output;

    internal TextWriter Error { get; } = error;

    internal bool Colour { get; } = colour;

    /// <summary>The console; a stream the caller closed is written nowhere (opening it would fail, writing it would reach someone else's file).</summary>
    internal static Terminal FromConsole(Hosting.StandardDescriptors descriptors) => new(
        descriptors.OutputClosed ? TextWriter.Null : Console.Out,
        descriptors.ErrorClosed ? TextWriter.Null : Console.Error,
        !descriptors.OutputClosed && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    internal string Paint(string text, Tint tint) =>
        !Colour || tint == Tint.None || text.Length == 0 ? text : $"{Code(tint)}{text}{Reset}";

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
