using ScriptMonitor.Access;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// Ping identities (a script's UUID and slug in peers' ping URLs) and the installation's ping key: made on first need,
/// then the same for ever, on every store.
/// </summary>
public abstract partial class ScriptRunStoreContract
{
    private IPingIdentityStore Identities => Store;

    [Fact]
    public async Task A_scripts_ping_identity_is_made_once_and_found_by_its_uuid_and_slug()
    {
        var first = await Identities.EnsurePingIdentityAsync("Nightly Backup");
        var again = await Identities.EnsurePingIdentityAsync("Nightly Backup");
        await using (var reopened = await ReopenStoreAsync())
        {
            Assert.Equal(first, await ((IPingIdentityStore)reopened).FindPingIdentityAsync(first.PingId));
        }

        Assert.Equal(first, again);
        Assert.Equal("nightly-backup", first.Slug);
        Assert.NotEqual(Guid.Empty, first.PingId);
        Assert.Equal([first], await Identities.FindPingIdentitiesBySlugAsync("nightly-backup"));
        Assert.Null(await Identities.FindPingIdentityAsync(Guid.NewGuid()));
        Assert.Empty(await Identities.FindPingIdentitiesBySlugAsync("other"));
    }

    [Fact]
    public async Task Two_scripts_may_share_a_slug_and_each_keeps_its_own_uuid()
    {
        var spaced = await Identities.EnsurePingIdentityAsync("nightly backup");
        var dashed = await Identities.EnsurePingIdentityAsync("nightly-backup");

        Assert.NotEqual(spaced.PingId, dashed.PingId);
        Assert.Equal(["nightly backup", "nightly-backup"], (await Identities.FindPingIdentitiesBySlugAsync("nightly-backup")).Select(i => i.ScriptName));
        Assert.Equal([spaced, dashed], await Identities.ListPingIdentitiesAsync());
    }

    [Fact]
    public async Task The_ping_key_is_made_once_with_healthchecks_form()
    {
        var key = await Identities.EnsurePingKeyAsync();
        await using var reopened = await ReopenStoreAsync();

        Assert.Equal(key, await ((IPingIdentityStore)reopened).EnsurePingKeyAsync());
        Assert.Matches("^[a-z0-9]{22}$", key);
    }

    [Fact]
    public async Task A_bad_script_name_gets_no_ping_identity()
    {
        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => Identities.EnsurePingIdentityAsync(" padded"));

        Assert.Contains("white space", refused.Message, StringComparison.Ordinal);
        Assert.Null(await Identities.FindPingIdentitiesBySlugAsync("padded") is { Count: > 0 } found ? found[0] : null);
    }

    [Fact]
    public async Task A_set_uuid_replaces_the_made_one_and_another_scripts_uuid_is_refused()
    {
        var made = await Identities.EnsurePingIdentityAsync("backup");
        var other = await Identities.EnsurePingIdentityAsync("rotate");
        var kept = Guid.Parse("5b1d2a0c-9f7e-4e11-8f35-0c2a6b7d9e01");

        var set = await Identities.SetPingIdentityAsync("backup", kept);
        var again = await Identities.SetPingIdentityAsync("backup", kept);
        var fresh = await Identities.SetPingIdentityAsync("never ran", Guid.Parse("0f0e0d0c-0b0a-4908-8706-050403020100"));
        var taken = await Assert.ThrowsAsync<ValidationException>(() => Identities.SetPingIdentityAsync("backup", other.PingId));
        var nil = await Assert.ThrowsAsync<ValidationException>(() => Identities.SetPingIdentityAsync("backup", Guid.Empty));

        Assert.Equal(new PingIdentity("backup", kept, "backup"), set);
        Assert.Equal(set, again);
        Assert.Equal("never-ran", fresh.Slug);
        Assert.Null(await Identities.FindPingIdentityAsync(made.PingId));
        Assert.Equal(set, await Identities.FindPingIdentityAsync(kept));
        Assert.Equal(("pingId", FieldRules.PingId), (taken.Errors[0].Path, taken.Errors[0].Rule));
        Assert.Contains("'rotate'", taken.Message, StringComparison.Ordinal);
        Assert.Equal(FieldRules.PingId, nil.Errors[0].Rule);
        Assert.Equal(other, await Identities.FindPingIdentityAsync(other.PingId));
    }

    [Fact]
    public async Task A_removed_identity_names_no_script_and_a_new_one_is_made_on_next_need()
    {
        var made = await Identities.EnsurePingIdentityAsync("backup");

        Assert.True(await Identities.RemovePingIdentityAsync("backup"));
        Assert.False(await Identities.RemovePingIdentityAsync("backup"));
        Assert.Null(await Identities.FindPingIdentityAsync(made.PingId));
        Assert.NotEqual(made.PingId, (await Identities.EnsurePingIdentityAsync("backup")).PingId);
    }

    [Fact]
    public async Task A_set_ping_key_replaces_the_made_one_and_a_bad_one_is_refused()
    {
        await Identities.EnsurePingKeyAsync();

        await Identities.SetPingKeyAsync("kept-from-healthchecks_1");
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Identities.SetPingKeyAsync("short"));
        var slashed = await Assert.ThrowsAsync<ValidationException>(() => Identities.SetPingKeyAsync("abcdefgh/ijklmnopqr"));
        await using var reopened = await ReopenStoreAsync();

        Assert.Equal("kept-from-healthchecks_1", await ((IPingIdentityStore)reopened).EnsurePingKeyAsync());
        Assert.Equal(("pingKey", FieldRules.PingKey), (refused.Errors[0].Path, refused.Errors[0].Rule));
        Assert.Equal(FieldRules.PingKey, slashed.Errors[0].Rule);
    }
}
