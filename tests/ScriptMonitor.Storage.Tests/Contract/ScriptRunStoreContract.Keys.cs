using System.Security.Cryptography;
using System.Text;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>API keys and the audit list: kept by their hash, named uniquely among active keys, revoked with an audit entry.</summary>
public abstract partial class ScriptRunStoreContract
{
    private static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static ApiKey Key(string id, string name, KeyScope scope = KeyScope.Ingest, params string[] patterns) =>
        new(id, name, scope, patterns, Now.AddMinutes(-10), AuditEntry.CommandLine);

    [Fact]
    public async Task AddKey_then_FindKey_by_its_hash_returns_every_field()
    {
        var key = Key("abcd2345", "host db1", KeyScope.Ingest, "backup-*", "db?-dump");

        await Store.AddKeyAsync(key, HashOf("smk_one"));
        var found = await Store.FindKeyAsync(HashOf("smk_one"));

        Assert.Equal(key, found);
        Assert.True(found!.IsActive);
        Assert.Null(await Store.FindKeyAsync(HashOf("smk_other")));
    }

    [Fact]
    public async Task A_second_active_key_of_the_same_name_is_refused_and_changes_nothing()
    {
        await Store.AddKeyAsync(Key("aaaaaaaa", "deploy", KeyScope.Admin), HashOf("smk_a"));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.AddKeyAsync(Key("bbbbbbbb", "deploy", KeyScope.Read), HashOf("smk_b")));

        Assert.Contains("'deploy'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["aaaaaaaa"], (await Store.ListKeysAsync()).Select(k => k.Id));
        Assert.Null(await Store.FindKeyAsync(HashOf("smk_b")));
        Assert.Single(await Store.ListAuditAsync());
    }

    [Fact]
    public async Task A_revoked_keys_name_may_be_given_to_a_new_key()
    {
        await Store.AddKeyAsync(Key("aaaaaaaa", "deploy"), HashOf("smk_a"));
        Assert.True(await Store.RevokeKeyAsync("deploy", Now.AddMinutes(-5), "cli"));

        await Store.AddKeyAsync(Key("bbbbbbbb", "deploy"), HashOf("smk_b"));

        Assert.Equal([("aaaaaaaa", false), ("bbbbbbbb", true)], (await Store.ListKeysAsync()).Select(k => (k.Id, k.IsActive)));
    }

    [Fact]
    public async Task ListKeys_returns_every_key_oldest_first_revoked_ones_too()
    {
        await Store.AddKeyAsync(Key("bbbbbbbb", "second") with { CreatedAt = Now.AddMinutes(-1) }, HashOf("smk_2"));
        await Store.AddKeyAsync(Key("aaaaaaaa", "first") with { CreatedAt = Now.AddMinutes(-2) }, HashOf("smk_1"));
        await Store.RevokeKeyAsync("first", Now, "cli");

        var keys = await Store.ListKeysAsync();

        Assert.Equal(["first", "second"], keys.Select(k => k.Name));
        Assert.Equal(Now, keys[0].RevokedAt);
        Assert.Null(keys[1].RevokedAt);
    }

    [Fact]
    public async Task RevokeKey_by_name_and_by_id_revokes_it_and_FindKey_still_returns_it_marked_revoked()
    {
        await Store.AddKeyAsync(Key("aaaaaaaa", "by-name"), HashOf("smk_1"));
        await Store.AddKeyAsync(Key("bbbbbbbb", "by-id"), HashOf("smk_2"));

        Assert.True(await Store.RevokeKeyAsync("by-name", Now.AddMinutes(-1), "cli"));
        Assert.True(await Store.RevokeKeyAsync("bbbbbbbb", Now, "admin-key"));

        Assert.Equal(Now.AddMinutes(-1), (await Store.FindKeyAsync(HashOf("smk_1")))!.RevokedAt);
        Assert.Equal(Now, (await Store.FindKeyAsync(HashOf("smk_2")))!.RevokedAt);
        Assert.False(await Store.RevokeKeyAsync("by-name", Now, "cli"));
    }

    [Fact]
    public async Task RevokeKey_of_an_unknown_key_returns_false_and_records_nothing()
    {
        await Store.AddKeyAsync(Key("aaaaaaaa", "kept"), HashOf("smk_1"));

        Assert.False(await Store.RevokeKeyAsync("nobody", Now, "cli"));

        Assert.True((await Store.FindKeyAsync(HashOf("smk_1")))!.IsActive);
        Assert.Single(await Store.ListAuditAsync());
    }

    [Fact]
    public async Task Adding_and_revoking_a_key_write_audit_entries_newest_first()
    {
        await Store.AddKeyAsync(Key("aaaaaaaa", "ci", KeyScope.Ingest, "build-*"), HashOf("smk_1"));
        await Store.RevokeKeyAsync("ci", Now, "ops-admin");

        var entries = await Store.ListAuditAsync();

        Assert.Equal(
            [
                new AuditEntry(Now, "ops-admin", AuditActions.KeyRevoke, "ci", "id aaaaaaaa"),
                new AuditEntry(Now.AddMinutes(-10), "cli", AuditActions.KeyCreate, "ci", "id aaaaaaaa, scope ingest, scripts build-*"),
            ],
            entries);
    }

    [Fact]
    public async Task RecordAudit_then_ListAudit_pages_newest_first_before_an_instant()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.RecordAuditAsync(new AuditEntry(Now.AddMinutes(-i), "admin", "script.pause", $"job-{i}", i == 1 ? null : "until tomorrow"));
        }

        var newest = await Store.ListAuditAsync(limit: 2);
        var older = await Store.ListAuditAsync(before: newest[^1].At, limit: 10);

        Assert.Equal(["job-1", "job-2"], newest.Select(e => e.Target));
        Assert.Null(newest[0].Detail);
        Assert.Equal(["job-3", "job-4", "job-5"], older.Select(e => e.Target));
    }

    public static TheoryData<ApiKey, byte[], string> BadKeys => new()
    {
        { Key("aaaaaaaa", ""), HashOf("x"), "key.Name" },
        { Key("aaaaaaaa", new string('k', 101)), HashOf("x"), "key.Name" },
        { Key("aaaaaaaa", " padded"), HashOf("x"), "key.Name" },
        { Key("aaaaaaaa", "tab\tname"), HashOf("x"), "key.Name" },
        { Key("ABCDEFGH", "upper-id"), HashOf("x"), "key.Id" },
        { Key("short", "short-id"), HashOf("x"), "key.Id" },
        { Key("aaaaaaaa", "reader", KeyScope.Read, "a*"), HashOf("x"), "key.ScriptPatterns" },
        { Key("aaaaaaaa", "twice", KeyScope.Ingest, "a*", "a*"), HashOf("x"), "key.ScriptPatterns[1]" },
        { Key("aaaaaaaa", "bad-pattern", KeyScope.Ingest, "ok", "new\nline"), HashOf("x"), "key.ScriptPatterns[1]" },
        { Key("aaaaaaaa", "scope") with { Scope = (KeyScope)7 }, HashOf("x"), "key.Scope" },
        { Key("aaaaaaaa", "future") with { CreatedAt = Now.AddDays(2) }, HashOf("x"), "key.CreatedAt" },
        { Key("aaaaaaaa", "revoked") with { RevokedAt = Now }, HashOf("x"), "key.RevokedAt" },
        { Key("aaaaaaaa", "creator") with { CreatedBy = "" }, HashOf("x"), "key.CreatedBy" },
        { Key("aaaaaaaa", "hash"), new byte[16], "secretHash" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task AddKey_refuses_a_field_that_breaks_a_rule_naming_it_and_writes_nothing(ApiKey key, byte[] hash, string field)
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Store.AddKeyAsync(key, hash));

        Assert.Contains(refused.Errors, e => e.Path == field);
        Assert.StartsWith(refused.Errors[0].Path, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ListKeysAsync());
        Assert.Empty(await Store.ListAuditAsync());
    }

    [Fact]
    public async Task RecordAudit_and_RevokeKey_refuse_bad_fields_naming_them()
    {
        var entry = await Assert.ThrowsAsync<ValidationException>(() => Store.RecordAuditAsync(new AuditEntry(Now, "", "Key Create", "x", new string('d', AuditEntry.MaxDetailLength + 1))));
        var revoke = await Assert.ThrowsAsync<ValidationException>(() => Store.RevokeKeyAsync(" ", Now, "cli"));

        Assert.Equal(["entry.Actor", "entry.Action", "entry.Detail"], entry.Errors.Select(e => e.Path));
        Assert.Equal("nameOrId", Assert.Single(revoke.Errors).Path);
        Assert.Empty(await Store.ListAuditAsync());
    }

    [Fact]
    public async Task Keys_are_shared_by_every_instance_on_the_same_data()
    {
        await Store.AddKeyAsync(Key("aaaaaaaa", "shared"), HashOf("smk_1"));

        await using var other = await ReopenStoreAsync();
        Assert.True(await other.RevokeKeyAsync("shared", Now, "cli"));

        Assert.False((await Store.FindKeyAsync(HashOf("smk_1")))!.IsActive);
    }

    [Fact]
    public async Task A_build_one_version_behind_keeps_adding_keys_after_a_newer_build_migrated_the_store()
    {
        await using (var newer = await OpenAsNextBuildAsync(keepsOlderWriters: true))
        {
            await newer.AddKeyAsync(Key("aaaaaaaa", "from-newer"), HashOf("smk_1"));
        }

        await using var older = ScriptRunStores.Open(ScriptRunStores.Parse(Setting), Clock);
        await older.AddKeyAsync(Key("bbbbbbbb", "from-older"), HashOf("smk_2"));
        Assert.True(await older.RevokeKeyAsync("from-newer", Now, "cli"));

        Assert.Equal([("from-newer", false), ("from-older", true)], (await older.ListKeysAsync()).Select(k => (k.Name, k.IsActive)));
        Assert.Equal(3, (await older.ListAuditAsync()).Count);
    }
}
