using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class KeyCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Create_prints_the_key_alone_on_stdout_once_and_list_never_shows_it()
    {
        var created = _sandbox.Run("key", "create", "--name", "db1", "--scope", "ingest", "--script", "backup-*", "--script", "db?-dump");
        var list = _sandbox.Run("key", "list");
        var listJson = _sandbox.Run("key", "list", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        var key = created.Stdout.TrimEnd('\n');
        Assert.Matches("^smk_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("only time it is shown", created.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("db1", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("backup-* db?-dump", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key[4..], list.Stdout + listJson.Stdout, StringComparison.Ordinal);
        var shown = Assert.Single(listJson.Json().GetProperty("keys").EnumerateArray());
        Assert.Equal("ingest", shown.GetProperty("scope").GetString());
        Assert.Equal(["backup-*", "db?-dump"], shown.GetProperty("scripts").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("cli", shown.GetProperty("createdBy").GetString());
        Assert.False(shown.TryGetProperty("secret", out _));
    }

    [Fact]
    public void The_store_holds_the_keys_hash_and_never_its_text()
    {
        var created = _sandbox.Run("key", "create", "--name", "reader", "--scope", "read", "--json").Json();
        var secret = created.GetProperty("secret").GetString()!;

        using var connection = new SqliteConnection($"Data Source={_sandbox.Database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret_hash FROM api_keys";
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), (byte[])command.ExecuteScalar()!);
        var text = Encoding.UTF8.GetBytes(secret[4..]);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_sandbox.Database)!, Path.GetFileName(_sandbox.Database) + "*"))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(text) < 0, $"{file} holds the key's text");
        }

        Assert.Equal(created.GetProperty("key").GetProperty("id").GetString(), _sandbox.Run("key", "list", "--json").Json().GetProperty("keys")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Revoke_by_name_or_id_exits_0_then_1_when_no_active_key_matches()
    {
        _sandbox.Run("key", "create", "--name", "first", "--scope", "admin");
        var id = _sandbox.Run("key", "create", "--name", "second", "--scope", "read", "--json").Json().GetProperty("key").GetProperty("id").GetString()!;

        var byName = _sandbox.Run("key", "revoke", "first");
        var byId = _sandbox.Run("key", "revoke", id, "--json");
        var again = _sandbox.Run("key", "revoke", "first");
        var keys = _sandbox.Run("key", "list", "--json").Json().GetProperty("keys");

        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.Equal(0, byId.ExitCode);
        Assert.True(byId.Json().GetProperty("revoked").GetBoolean());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no active key has the name or id 'first'", again.Stderr, StringComparison.Ordinal);
        Assert.All(keys.EnumerateArray(), k => Assert.NotEqual(System.Text.Json.JsonValueKind.Null, k.GetProperty("revokedAt").ValueKind));
    }

    [Fact]
    public void A_second_active_key_of_one_name_is_refused_with_exit_1_and_the_name_is_free_again_after_revoke()
    {
        Assert.Equal(0, _sandbox.Run("key", "create", "--name", "ci", "--scope", "ingest").ExitCode);

        var twice = _sandbox.Run("key", "create", "--name", "ci", "--scope", "ingest");
        _sandbox.Run("key", "revoke", "ci");
        var afterRevoke = _sandbox.Run("key", "create", "--name", "ci", "--scope", "ingest");

        Assert.Equal(1, twice.ExitCode);
        Assert.Equal(string.Empty, twice.Stdout);
        Assert.Contains("--name: a key named 'ci' is active already", twice.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, afterRevoke.ExitCode);
    }

    [Theory]
    [InlineData("--scope", new[] { "key", "create", "--name", "x", "--scope", "owner" })]
    [InlineData("--name", new[] { "key", "create", "--name", " padded", "--scope", "read" })]
    [InlineData("--name", new[] { "key", "create", "--name", "", "--scope", "read" })]
    [InlineData("--script", new[] { "key", "create", "--name", "x", "--scope", "read", "--script", "a*" })]
    [InlineData("--script", new[] { "key", "create", "--name", "x", "--scope", "ingest", "--script", "tab\there" })]
    [InlineData("--scope", new[] { "key", "create", "--name", "x" })]
    [InlineData("NAME|ID", new[] { "key", "revoke", " x" })]
    public void Bad_input_exits_2_naming_the_option_and_creates_nothing(string option, string[] args)
    {
        var result = _sandbox.Run(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.False(File.Exists(_sandbox.Database), "the store was created");
    }
}
