using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Server.Tests.Support;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>scriptmon channel on a store of its own, with real receivers: an HTTP listener, aiosmtpd, a shell script.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ChannelCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Add_then_list_shows_the_channel_and_its_secrets_by_name_only()
    {
        var added = _sandbox.Run("channel", "add", "ops-hook", "--kind", "webhook", "--url", "https://hooks.example.test/$NAME", "--header", "Authorization: Bearer s3cret-token", "--tag", "db", "--repeat", "4h");
        var text = _sandbox.Run("channel", "list");
        var json = _sandbox.Run("channel", "list", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("Added the webhook channel 'ops-hook'", added.Stdout, StringComparison.Ordinal);
        Assert.Contains("header:Authorization", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", text.Stdout + json.Stdout, StringComparison.Ordinal);
        var channel = Assert.Single(json.Json().GetProperty("channels").EnumerateArray());
        Assert.Equal("webhook", channel.GetProperty("kind").GetString());
        Assert.Equal("https://hooks.example.test/$NAME", channel.GetProperty("settings").GetProperty("url").GetString());
        Assert.Equal(["header:Authorization"], channel.GetProperty("secrets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["db"], channel.GetProperty("tags").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(14400, channel.GetProperty("repeatEverySeconds").GetDouble());
    }

    [Theory]
    [InlineData("--url", "--url must be an absolute http or https URL", "--kind", "webhook", "--url", "ftp://files.example.test/")]
    [InlineData("--body", "--body names a placeholder ScriptMonitor does not know: $STAUTS", "--kind", "webhook", "--url", "https://x.example.test/", "--body", "{\"s\": \"$STAUTS\"}")]
    [InlineData("--smtp-port", "--smtp-port must be a port number", "--kind", "email", "--smtp-host", "smtp.example.test", "--smtp-port", "99999", "--from", "a@example.test", "--to", "b@example.test")]
    [InlineData("--to", "--to must be email addresses", "--kind", "email", "--smtp-host", "smtp.example.test", "--from", "a@example.test", "--to", "ops")]
    [InlineData("--tls", "--tls must be starttls, tls or none", "--kind", "email", "--smtp-host", "smtp.example.test", "--tls", "ssl", "--from", "a@example.test", "--to", "b@example.test")]
    [InlineData("--kind", "--kind must be webhook, slack, email or command", "--kind", "pager")]
    [InlineData("--repeat", "--repeat must be at least 1m", "--kind", "slack", "--url", "https://hooks.slack.example.test/x", "--repeat", "10s")]
    public void Bad_configuration_exits_2_naming_the_option_and_saves_nothing(string option, string message, params string[] args)
    {
        var added = _sandbox.Run(["channel", "add", "bad", .. args]);

        Assert.Equal(2, added.ExitCode);
        Assert.Contains(message, added.Stderr, StringComparison.Ordinal);
        Assert.Contains(option, added.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.Database), "a refused channel opens no store");
    }

    [Fact]
    public void Test_delivers_to_a_real_webhook_with_the_event_id_as_idempotency_key()
    {
        using var receiver = new HttpReceiver();
        _sandbox.Run("channel", "add", "hook", "--kind", "webhook", "--url", receiver.Url + "alert?s=$STATUS", "--body", "{\"kind\": \"$KIND\", \"text\": $REASON_JSON}", "--allow-private");

        var test = _sandbox.Run("channel", "test", "hook", "--json");

        Assert.True(test.ExitCode == 0, test.ToString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(test.Json().GetProperty("eventId").GetString(), request.Headers["Idempotency-Key"]);
        Assert.Equal("/alert?s=up", request.PathAndQuery);
        Assert.Contains("\"kind\": \"test\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_of_a_webhook_on_loopback_without_allow_private_exits_2_and_sends_nothing()
    {
        using var receiver = new HttpReceiver();
        _sandbox.Run("channel", "add", "hook", "--kind", "webhook", "--url", receiver.Url);

        var test = _sandbox.Run("channel", "test", "hook");

        Assert.Equal(2, test.ExitCode);
        Assert.Contains("is loopback", test.Stderr, StringComparison.Ordinal);
        Assert.Contains("allow_private", test.Stderr, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Test_sends_an_email_through_a_real_smtp_server()
    {
        using var smtp = new SmtpReceiver();
        _sandbox.Run("channel", "add", "mail", "--kind", "email", "--smtp-host", "127.0.0.1", "--smtp-port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tls", "none", "--from", "scriptmon@example.test", "--to", "ops@example.test");

        var test = _sandbox.Run("channel", "test", "mail", "--json");

        Assert.True(test.ExitCode == 0, test.ToString());
        var message = Assert.Single(await smtp.MessagesAsync());
        Assert.Equal($"{test.Json().GetProperty("eventId").GetString()}@scriptmon", message.MessageId);
        Assert.Contains("Test notification", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_against_an_unreachable_smtp_server_exits_2_naming_it()
    {
        var port = HttpReceiver.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _sandbox.Run("channel", "add", "mail", "--kind", "email", "--smtp-host", "127.0.0.1", "--smtp-port", port, "--tls", "none", "--from", "a@example.test", "--to", "b@example.test");

        var test = _sandbox.Run("channel", "test", "mail");

        Assert.Equal(2, test.ExitCode);
        Assert.Contains($"the SMTP server 127.0.0.1:{port} cannot be reached", test.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_channel_on_the_local_store_runs_its_program_with_the_event_on_stdin()
    {
        var script = _sandbox.File("notify.sh");
        File.WriteAllText(script, "#!/bin/sh\ncat > \"$1\"\necho >> \"$1\"\necho \"$SCRIPTMON_KIND $SCRIPTMON_SCRIPT\" >> \"$1\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var received = _sandbox.File("received.txt");
        var added = _sandbox.Run("channel", "add", "notify", "--kind", "command", "--command", script, "--arg", received);

        var test = _sandbox.Run("channel", "test", "notify");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(test.ExitCode == 0, test.ToString());
        var lines = File.ReadAllLines(received);
        Assert.Contains("\"kind\":\"Test\"", lines[0], StringComparison.Ordinal);
        Assert.Equal("test scriptmon-test", lines[^1]);
    }

    [Fact]
    public void Remove_exits_0_then_1_and_test_of_an_unknown_channel_exits_1()
    {
        _sandbox.Run("channel", "add", "chat", "--kind", "slack", "--url", "https://hooks.slack.example.test/T/B/X");

        var first = _sandbox.Run("channel", "remove", "chat");
        var second = _sandbox.Run("channel", "remove", "chat");
        var test = _sandbox.Run("channel", "test", "chat");

        Assert.Equal((0, 1, 1), (first.ExitCode, second.ExitCode, test.ExitCode));
        Assert.Contains("no channel is named 'chat'", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_a_taken_name_unless_replace_is_given()
    {
        _sandbox.Run("channel", "add", "chat", "--kind", "slack", "--url", "https://hooks.slack.example.test/one");

        var taken = _sandbox.Run("channel", "add", "chat", "--kind", "slack", "--url", "https://hooks.slack.example.test/two");
        var replaced = _sandbox.Run("channel", "add", "chat", "--kind", "slack", "--url", "https://hooks.slack.example.test/two", "--replace");

        Assert.Equal(2, taken.ExitCode);
        Assert.Contains("--replace", taken.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, replaced.ExitCode);
        Assert.Contains("Replaced", replaced.Stdout, StringComparison.Ordinal);
        Assert.Equal("https://hooks.slack.example.test/two", _sandbox.Run("channel", "list", "--json").Json().GetProperty("channels")[0].GetProperty("settings").GetProperty("url").GetString());
    }
}

/// <summary>scriptmon channel through a scriptmon-server with an admin key.</summary>
public sealed class ChannelServerCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scriptmon-cli-channels-").FullName;
    private ServerProcess _server = null!;
    private string _admin = string.Empty;

    public async Task InitializeAsync()
    {
        var database = Path.Combine(_folder, "server.db");
        using (var store = ScriptRunStores.Open(database))
        {
            _admin = (await new KeyService(store, TimeProvider.System).CreateAsync("ops", KeyScope.Admin, [], "cli")).Secret;
        }

        _server = await ServerProcess.Start(database).WaitUntilListeningAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Channels_are_added_listed_tested_and_removed_through_the_server_but_command_channels_are_refused()
    {
        using var receiver = new HttpReceiver();
        using var sandbox = new Sandbox();
        sandbox.Variables["SCRIPTMON_SERVER"] = _server.BaseAddress.ToString();
        sandbox.Variables["SCRIPTMON_KEY"] = _admin;

        var command = sandbox.Run("channel", "add", "notify", "--kind", "command", "--command", "/bin/true");
        var added = sandbox.Run("channel", "add", "hook", "--kind", "webhook", "--url", receiver.Url, "--header", "X-Token: t0ken-value", "--allow-private");
        var list = sandbox.Run("channel", "list", "--json");
        var test = sandbox.Run("channel", "test", "hook");
        var removed = sandbox.Run("channel", "remove", "hook");

        Assert.Equal(2, command.ExitCode);
        Assert.Contains("--kind command is added only on the server's host", command.Stderr, StringComparison.Ordinal);
        Assert.True(added.ExitCode == 0, added.ToString());
        var channel = Assert.Single(list.Json().GetProperty("channels").EnumerateArray());
        Assert.Equal(["header:X-Token"], channel.GetProperty("secrets").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain("t0ken-value", list.Stdout, StringComparison.Ordinal);
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Equal("t0ken-value", Assert.Single(receiver.Requests).Headers["X-Token"]);
        Assert.Equal(0, removed.ExitCode);
        Assert.False(File.Exists(sandbox.Database), "the channels live on the server");
    }
}
