using System.Text;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>The job gets its arguments and environment byte for byte, and is run as execvp runs it.</summary>
public sealed class ExecCommandLineTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Exec_passes_arguments_and_environment_that_are_not_UTF8_byte_for_byte()
    {
        var result = await _sandbox.RunThroughShellAsync(
            "LATIN=$(printf 'd\\351j\\340'); export LATIN; exec \"$@\" \"$(printf 'caf\\351')\" ''",
            "exec", "latin", "--", "sh", "-c", "printf %s \"$1\" > argument; printf %s \"$LATIN\" > variable; printf %s \"$#\" > count", "job");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Encoding.Latin1.GetBytes("caf\u00E9"), await File.ReadAllBytesAsync(_sandbox.File("argument")));
        Assert.Equal(Encoding.Latin1.GetBytes("d\u00E9j\u00E0"), await File.ReadAllBytesAsync(_sandbox.File("variable")));
        Assert.Equal("2", await File.ReadAllTextAsync(_sandbox.File("count")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Exec_runs_a_script_without_a_shebang_line_with_sh_as_execvp_does()
    {
        var script = _sandbox.File("no-shebang");
        File.WriteAllText(script, "echo \"from-script $1\"\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = _sandbox.Run("exec", "plain", "--", script, "argument");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("from-script argument\n", result.Stdout);
    }

    [Theory]
    [InlineData("missing", 127, "No such file or directory")]
    [InlineData("not-executable", 126, "Permission denied")]
    public void Exec_says_on_stderr_why_a_command_cannot_be_started(string command, int status, string reason)
    {
        var path = _sandbox.File(command);
        if (command == "not-executable")
        {
            File.WriteAllText(path, "echo never\n");
        }

        var result = _sandbox.Run("exec", "unstartable", "--", path);

        Assert.Equal(status, result.ExitCode);
        Assert.Contains($"Cannot run the command of unstartable: {path}: {reason} (exit status {status}).", result.Stderr, StringComparison.Ordinal);
        var run = Runs.Only(_sandbox, "unstartable");
        Assert.Equal(status, run.GetProperty("exitCode").GetInt32());
        Assert.Contains(reason, run.Output(), StringComparison.Ordinal);
    }
}
