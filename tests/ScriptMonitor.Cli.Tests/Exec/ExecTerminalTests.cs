using System.Diagnostics;
using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>
/// scriptmon on a real pseudo-terminal (util-linux <c>script</c>), in its foreground group: the terminal is handed to
/// the job's group for the run, keys reach the job once, and a stopped job stops scriptmon as a shell's job would.
/// </summary>
public sealed class ExecTerminalTests : IDisposable
{
    private const byte ControlC = 0x03;

    /// <summary>The job notes its process group, the terminal's foreground group, its parent (scriptmon) and the parent's group.</summary>
    private const string NoteGroups = "set -- $(sed 's/.*) //' /proc/$$/stat); g=$3; f=$6; set -- $(sed 's/.*) //' /proc/$PPID/stat); echo \"$g $f $PPID $3\" >> groups";

    private readonly Sandbox _sandbox;

    public ExecTerminalTests()
    {
        InheritedSignals.RequireDefaults();
        _sandbox = new Sandbox();
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Exec_on_a_terminal_hands_it_to_the_job_so_a_typed_interrupt_reaches_the_job_once()
    {
        var job = $"trap 'echo INT >> got' INT; {NoteGroups}; touch ready; while ! read -r line; do :; done; echo \"read:$line\" >> got; exit 3";
        using var terminal = StartOnTerminal(job);
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));

        await TypeAsync(terminal, [ControlC]);
        await Sandbox.WaitUntilAsync(() => _sandbox.Lines("got").Contains("INT"), "the job to get SIGINT");
        await TypeAsync(terminal, "hello\n"u8.ToArray());
        var result = await Sandbox.CompleteAsync(terminal);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(["INT", "read:hello"], _sandbox.Lines("got"));
        var (group, foreground, _, scriptmonGroup) = Groups(_sandbox.Lines("groups")[0]);
        Assert.Equal(group, foreground);
        Assert.NotEqual(scriptmonGroup, group);
        Assert.Equal(3, Runs.Only(_sandbox, "tty").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Exec_on_a_terminal_stops_with_a_stopped_job_and_continues_it_with_the_terminal()
    {
        var job = $"{NoteGroups}; touch ready; kill -TSTP $$; {NoteGroups}; read -r line; echo \"read:$line\" >> got";
        using var terminal = StartOnTerminal(job);
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));
        var (group, _, scriptmon, _) = Groups(_sandbox.Lines("groups")[0]);

        await Sandbox.WaitUntilAsync(() => State(scriptmon) == 'T', "scriptmon to stop with its job");
        var whileStopped = Stat(scriptmon);
        Kill(scriptmon, "CONT");
        await Sandbox.WaitUntilAsync(() => _sandbox.Lines("groups").Length == 2, "the job to continue");
        await TypeAsync(terminal, "hello\n"u8.ToArray());
        var result = await Sandbox.CompleteAsync(terminal);

        Assert.True(result.ExitCode == 0, result.ToString());
        // While stopped, the terminal was scriptmon's group's again (stat field 8, tpgid, against field 5, pgrp).
        Assert.Equal(whileStopped[2], whileStopped[5]);
        var (groupAfter, foregroundAfter, _, _) = Groups(_sandbox.Lines("groups")[1]);
        Assert.Equal(group, groupAfter);
        Assert.Equal(group, foregroundAfter);
        Assert.Equal(["read:hello"], _sandbox.Lines("got"));
    }

    /// <summary>
    /// Runs scriptmon exec on a new pseudo-terminal; what the test writes to its stdin is typed on that terminal. A
    /// shell stands between <c>script</c> and scriptmon, as a user's shell does (<c>script</c> stops itself when its
    /// own child stops, and would then type nothing more); the test plays that shell's <c>fg</c> with SIGCONT.
    /// </summary>
    private Process StartOnTerminal(string job) =>
        _sandbox.StartProgram("script", "-qfec", Sandbox.ShellCommand("exec", "tty", "--", "sh", "-c", job) + "; exit $?", "/dev/null");

    private static async Task TypeAsync(Process terminal, byte[] keys)
    {
        await terminal.StandardInput.BaseStream.WriteAsync(keys);
        await terminal.StandardInput.BaseStream.FlushAsync();
    }

    private static (int Group, int Foreground, int Parent, int ParentGroup) Groups(string line)
    {
        var fields = line.Split(' ').Select(f => int.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[0], fields[1], fields[2], fields[3]);
    }

    /// <summary>The fields of /proc/PID/stat after the command name: state, ppid, pgrp, sid, tty_nr, tpgid, …</summary>
    private static string[] Stat(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static char State(int processId) => Stat(processId)[0][0];

    private static void Kill(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
