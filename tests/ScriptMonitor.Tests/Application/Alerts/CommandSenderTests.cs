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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var result = await new CommandSender().SendAsync(Channel(script, _directory.Path), AlertEvents.Late(), timeout.Token);

        Assert.False(result.Delivered);
        Assert.True(result.Retry);
        Assert.Contains("was killed", result.Error, StringComparison.Ordinal);
        var child = int.Parse((await File.ReadAllTextAsync(_directory.File("child.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{child}") && !File.ReadAllText($"/proc/{child}/stat").Contains(") Z ", StringComparison.Ordinal));
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
