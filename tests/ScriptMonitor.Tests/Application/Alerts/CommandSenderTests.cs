using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Application.Alerts;

/// <summary>A real program as a command channel: a shell script that keeps what it was given.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandSenderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_program_reads_the_event_as_json_on_stdin_and_in_its_environment()
    {
        var script = Script("cat > \"$1/stdin.json\"; env | grep '^SCRIPTMON_' | sort > \"$1/env.txt\"");
        var late = AlertEvents.Late();

        var result = await new CommandSender().SendAsync(Channel(script, _directory.Path), late, CancellationToken.None);

        Assert.Equal(SendResult.Success, result);
        var sent = AlertJson.Deserialize(await File.ReadAllTextAsync(_directory.File("stdin.json")));
        Assert.Equal((late.EventId, late.Summary), (sent.EventId, sent.Summary));
        var environment = (await File.ReadAllLinesAsync(_directory.File("env.txt"))).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(late.EventId.ToString("D"), environment["SCRIPTMON_EVENT_ID"]);
        Assert.Equal("nightly-backup", environment["SCRIPTMON_SCRIPT"]);
        Assert.Equal("Late", environment["SCRIPTMON_STATE"]);
        Assert.Equal("down", environment["SCRIPTMON_STATUS"]);
        Assert.Equal("down", environment["SCRIPTMON_KIND"]);
        Assert.Equal("db1", environment["SCRIPTMON_HOST"]);
        Assert.Equal("3", environment["SCRIPTMON_EXIT_CODE"]);
        Assert.Equal("notify", environment["SCRIPTMON_CHANNEL"]);
        Assert.Equal(late.Summary, environment["SCRIPTMON_SUMMARY"]);
    }

    [Fact]
    public async Task The_program_does_not_inherit_the_servers_secrets_but_keeps_its_path_and_home()
    {
        // A name of this test's own, so that no other test reads or writes it.
        var secret = $"SCRIPTMON_TEST_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secret, "Password=hunter2");
        try
        {
            var script = Script("env | cut -d= -f1 | sort > \"$1/names.txt\"");

            var result = await new CommandSender().SendAsync(Channel(script, _directory.Path), AlertEvents.Late(), CancellationToken.None);

            Assert.Equal(SendResult.Success, result);
            var names = await File.ReadAllLinesAsync(_directory.File("names.txt"));
            Assert.DoesNotContain(secret, names);
            Assert.Contains("PATH", names);
            Assert.Contains("SCRIPTMON_EVENT_ID", names);
            Assert.All(names, name => Assert.True(name.StartsWith("SCRIPTMON_", StringComparison.Ordinal) || name is "PATH" or "HOME" or "USER" or "LOGNAME" or "SHELL" or "LANG" or "LANGUAGE" or "TZ" or "TMPDIR" or "PWD" or "SHLVL" or "_" || name.StartsWith("LC_", StringComparison.Ordinal) || name.Contains("proxy", StringComparison.OrdinalIgnoreCase), name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Fact]
    public async Task A_failing_program_is_retried_with_the_end_of_its_output_in_the_error()
    {
        var script = Script("echo 'token rejected' >&2; exit 3");

        var result = await new CommandSender().SendAsync(Channel(script, _directory.Path), AlertEvents.Late(), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.True(result.Retry);
        Assert.Contains("exited with status 3: token rejected", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_program_still_running_at_the_attempts_end_is_killed_with_what_it_started()
    {
        var script = Script("sleep 60 & echo $! > \"$1/child.pid\"; wait");
        // Long enough for a loaded machine to start the shell and its child before the attempt ends.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var result = await new CommandSender().SendAsync(Channel(script, _directory.Path), AlertEvents.Late(), timeout.Token);

        Assert.False(result.Delivered);
        Assert.True(result.Retry);
        Assert.Contains("was killed", result.Error, StringComparison.Ordinal);
        var child = int.Parse((await File.ReadAllTextAsync(_directory.File("child.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await GoneAsync(child), $"the child {child} outlived the attempt");
    }

    /// <summary>Whether a process is gone (or a zombie) within a while: a SIGKILL is delivered, not handled at once.</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (!File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal))
                {
                    await Task.Delay(50);
                    continue;
                }
            }
            catch (IOException)
            {
                // Gone between the check and the read, or already.
            }

            return true;
        }

        return false;
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_not_retried()
    {
        var result = await new CommandSender().SendAsync(Channel(_directory.File("missing"), _directory.Path), AlertEvents.Late(), CancellationToken.None);

        Assert.Equal((false, false), (result.Delivered, result.Retry));
        Assert.Contains("cannot be started", result.Error, StringComparison.Ordinal);
    }

    private string Script(string body)
    {
        var path = _directory.File($"notify-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static AlertChannel Channel(string program, string directory) => ChannelValidation.Validate(new AlertChannel("notify", ChannelKind.Command)
    {
        Settings = new Dictionary<string, string> { ["program"] = program, ["args"] = System.Text.Json.JsonSerializer.Serialize(new[] { directory }, ChannelJsonContext.Default.StringArray) },
    });
}
