using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class HelpTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData(new string[0], "exec")]
    [InlineData(new[] { "exec" }, "--timeout")]
    [InlineData(new[] { "record" }, "--started")]
    [InlineData(new[] { "last" }, "--host")]
    [InlineData(new[] { "runs" }, "--limit")]
    [InlineData(new[] { "status" }, "--json")]
    [InlineData(new[] { "stats" }, "--since")]
    [InlineData(new[] { "spool" }, "flush")]
    [InlineData(new[] { "spool", "list" }, "--json")]
    [InlineData(new[] { "spool", "flush" }, "--json")]
    [InlineData(new[] { "prune" }, "--keep-last")]
    [InlineData(new[] { "expect" }, "--every")]
    [InlineData(new[] { "expect" }, "--learn")]
    [InlineData(new[] { "check" }, "--window")]
    [InlineData(new[] { "check" }, "--map")]
    [InlineData(new[] { "close" }, "--reason")]
    [InlineData(new[] { "expect" }, "--abandon-after")]
    [InlineData(new[] { "db" }, "migrate")]
    [InlineData(new[] { "db" }, "backup")]
    [InlineData(new[] { "db", "backup" }, "--force")]
    [InlineData(new[] { "db", "info" }, "--json")]
    [InlineData(new[] { "db", "migrate" }, "--database")]
    public void Every_command_has_help(string[] command, string mentions)
    {
        var result = _sandbox.Run([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(mentions, result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.Database));
    }
}
