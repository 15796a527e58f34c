using System.Globalization;

namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>Ways to run scriptmon that the plain <see cref="Start(string[])"/> cannot: behind a shell redirection, as another user.</summary>
public sealed partial class Sandbox
{
    /// <summary>The unprivileged user (nobody) that permission tests run scriptmon as, so that "permission denied" is real.</summary>
    public const int UnprivilegedId = 65534;

    /// <summary>
    /// Runs scriptmon as <c>"$@"</c> of a <c>/bin/sh</c> script, in the sandbox's directory and environment:
    /// <c>"$@" &gt;&amp;-</c>, <c>"$@" &gt; /dev/full</c>, <c>cd conf &amp;&amp; "$@"</c>. <see cref="Status"/> reads
    /// the line <c>exit=N</c> the script writes to stderr where the shell's own status is not scriptmon's.
    /// </summary>
    public CliResult RunShell(string script, params string[] args) =>
        CompleteAsync(Start(["/bin/sh", "-c", script, "sh"], args)).GetAwaiter().GetResult();

    /// <summary>Runs scriptmon with a redirection of its own, and reports its exit status as a last stderr line <c>exit=N</c>.</summary>
    public CliResult RunRedirected(string redirection, params string[] args) =>
        RunShell($"\"$@\" {redirection}; echo exit=$? >&2", args);

    /// <summary>Runs scriptmon as <see cref="UnprivilegedId"/> (nobody), with the sandbox's environment.</summary>
    public CliResult RunUnprivileged(params string[] args)
    {
        var id = UnprivilegedId.ToString(CultureInfo.InvariantCulture);
        return CompleteAsync(Start(["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--"], args)).GetAwaiter().GetResult();
    }

    /// <summary>The exit status a shell script reported with a last stderr line <c>exit=N</c>.</summary>
    public static int Status(CliResult result)
    {
        var last = result.Stderr.TrimEnd('\n').Split('\n')[^1];
        return last.StartsWith("exit=", StringComparison.Ordinal)
            ? int.Parse(last["exit=".Length..], CultureInfo.InvariantCulture)
            : throw new Xunit.Sdk.XunitException($"No exit=N line at the end of stderr:\n{result}");
    }

    /// <summary>What scriptmon itself wrote to stderr: every line but the script's <c>exit=N</c>.</summary>
    public static string[] ErrorLines(CliResult result) =>
        result.Stderr.TrimEnd('\n').Split('\n').Where(l => l.Length > 0 && !l.StartsWith("exit=", StringComparison.Ordinal)).ToArray();
}
