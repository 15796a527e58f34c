using ScriptMonitor.Access;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// Ping identities (a script's UUID and slug in peers' ping URLs) and the installation's ping key: made on first need,
/// then the same for ever, on every store.
/// </summary>
public abstract partial class ScriptRunStoreContract
{
    private IPingIdentityStore Identities => Assert.IsAssignableFrom<IPingIdentityStore>(Store);

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
}
