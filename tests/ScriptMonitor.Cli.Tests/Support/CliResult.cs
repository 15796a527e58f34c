using System.Text;
using System.Text.Json;

namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>What one run of scriptmon did: its exit status and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(StdoutBytes);
        return document.RootElement.Clone();
    }

    /// <summary>The value of a "label: value" line of the text output.</summary>
    public string Field(string label)
    {
        foreach (var line in Stdout.Split('\n'))
        {
            if (line.StartsWith(label + ":", StringComparison.Ordinal))
            {
                return line[(label.Length + 1)..].Trim();
            }
        }

        throw new Xunit.Sdk.XunitException($"No '{label}:' line in:\n{Stdout}");
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
