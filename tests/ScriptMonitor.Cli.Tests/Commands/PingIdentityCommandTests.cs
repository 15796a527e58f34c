using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>Identities a team brings from Healthchecks: its API keys, its ping key, its checks' UUIDs.</summary>
public sealed class PingIdentityCommandTests : IDisposable
{
    private const string KeptUuid = "5b1d2a0c-9f7e-4e11-8f35-0c2a6b7d9e01";

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Healthchecks_keys_are_kept_with_their_text_for_the_scope_their_prefix_says()
    {
        var admin = _sandbox.Run("key", "create", "--name", "terraform", "--scope", "admin", "--secret", "hcw_0123456789abcdefghijklmnopqr");
        var mismatched = _sandbox.Run("key", "create", "--name", "grafana", "--scope", "admin", "--secret", "hcr_0123456789abcdefghijklmnopqr");
        _sandbox.Variables["SCRIPTMON_KEY_SECRET"] = "hcr_0123456789abcdefghijklmnopqr";
        var read = _sandbox.Run("key", "create", "--name", "grafana", "--scope", "read");
        var malformed = _sandbox.Run("key", "create", "--name", "bad", "--scope", "admin", "--secret", "hcw_short");

        Assert.True(admin.ExitCode == 0, admin.ToString());
        Assert.DoesNotContain("hcw_", admin.Stdout + admin.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, mismatched.ExitCode);
        Assert.Contains("--secret starting 'hcr_' is a Healthchecks read-only key: give it to a read key.", mismatched.Stderr, StringComparison.Ordinal);
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal(2, malformed.ExitCode);
        Assert.StartsWith("scriptmon: error: --secret must be a Healthchecks API key", malformed.Stderr, StringComparison.Ordinal);
        using var store = ScriptRunStores.Open(_sandbox.Database);
        var keys = new KeyService(store, TimeProvider.System);
        Assert.Equal(("terraform", ScriptMonitor.Access.KeyScope.Admin), ((await keys.VerifyAsync("hcw_0123456789abcdefghijklmnopqr"))!.Name, (await keys.VerifyAsync("hcw_0123456789abcdefghijklmnopqr"))!.Scope));
        Assert.Equal(ScriptMonitor.Access.KeyScope.Read, (await keys.VerifyAsync("hcr_0123456789abcdefghijklmnopqr"))!.Scope);
    }

    [Fact]
    public void The_ping_key_and_a_scripts_uuid_are_shown_and_set_and_a_taken_uuid_is_refused()
    {
        var made = _sandbox.Run("ping-key");
        var set = _sandbox.Run("ping-key", "set", "kept-from-healthchecks");
        var shown = _sandbox.Run("ping-key");
        var badKey = _sandbox.Run("ping-key", "set", "a/b");
        var id = _sandbox.Run("ping-id", "backup", "--set", KeptUuid);
        var taken = _sandbox.Run("ping-id", "rotate", "--set", KeptUuid.ToUpperInvariant());
        var notUuid = _sandbox.Run("ping-id", "rotate", "--set", "not-a-uuid");
        var rotate = _sandbox.Run("ping-id", "rotate");

        Assert.Matches("^[a-z0-9]{22}\n$", made.Stdout);
        Assert.Equal((0, "kept-from-healthchecks\n"), (set.ExitCode, shown.Stdout));
        Assert.Equal(2, badKey.ExitCode);
        Assert.Contains("KEY must be 16 to 64 characters", badKey.Stderr, StringComparison.Ordinal);
        Assert.True(id.ExitCode == 0, id.ToString());
        Assert.Contains($"ping UUID   {KeptUuid}", id.Stdout, StringComparison.Ordinal);
        Assert.Contains("push token  5b1d2a0c9f7e4e118f350c2a6b7d9e01", id.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, taken.ExitCode);
        Assert.Equal($"scriptmon: error: --set must name one script: {KeptUuid} is the ping UUID of the script 'backup'.\n", taken.Stderr);
        Assert.Equal(2, notUuid.ExitCode);
        Assert.DoesNotContain(KeptUuid, rotate.Stdout, StringComparison.Ordinal);
    }
}
