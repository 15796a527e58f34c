using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Application.Access;

public sealed class KeyServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly MemoryKeyStore _store = new();

    private KeyService Service => new(_store, _clock);

    [Fact]
    public async Task Create_returns_smk_and_43_base64url_characters_of_32_random_bytes()
    {
        var created = await Service.CreateAsync("db1", KeyScope.Ingest, ["backup-*"], "cli");

        Assert.StartsWith("smk_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(47, created.Secret.Length);
        Assert.Equal(KeyService.KeyLength, created.Secret.Length);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(created.Secret.AsSpan(4)).Length);
        Assert.All(created.Secret[4..], c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}'"));
        Assert.Matches("^[a-z2-7]{8}$", created.Key.Id);
        Assert.Equal(new ApiKey(created.Key.Id, "db1", KeyScope.Ingest, ["backup-*"], Now, "cli"), created.Key);
        Assert.DoesNotContain(created.Secret, created.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_keys_never_share_a_secret_or_an_id()
    {
        var first = await Service.CreateAsync("one", KeyScope.Read, [], "cli");
        var second = await Service.CreateAsync("two", KeyScope.Read, [], "cli");

        Assert.NotEqual(first.Secret, second.Secret);
        Assert.NotEqual(first.Key.Id, second.Key.Id);
    }

    [Fact]
    public async Task Only_the_SHA256_hash_of_the_key_text_is_given_to_the_store()
    {
        var created = await Service.CreateAsync("db1", KeyScope.Ingest, [], "cli");

        var (stored, hash) = Assert.Single(_store.Added);
        Assert.Equal(created.Key, stored);
        Assert.Equal(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(created.Secret)), hash);
        Assert.DoesNotContain(created.Secret[4..], stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_returns_the_active_key_of_its_text()
    {
        var created = await Service.CreateAsync("db1", KeyScope.Admin, [], "cli");

        Assert.Equal(created.Key, await Service.VerifyAsync(created.Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("smk_")]
    [InlineData("Bearer smk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("smk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("xyz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Verify_of_a_wrong_key_returns_null(string? presented)
    {
        await Service.CreateAsync("db1", KeyScope.Admin, [], "cli");

        Assert.Null(await Service.VerifyAsync(presented));
    }

    [Fact]
    public async Task Verify_of_a_revoked_key_returns_null()
    {
        var service = Service;
        var created = await service.CreateAsync("db1", KeyScope.Read, [], "cli");
        Assert.NotNull(await service.VerifyAsync(created.Secret));

        Assert.True(await service.RevokeAsync("db1", "cli"));

        Assert.Null(await service.VerifyAsync(created.Secret));
        Assert.False(await service.RevokeAsync("db1", "cli"));
    }

    [Fact]
    public async Task A_revocation_elsewhere_is_seen_once_the_cached_key_is_5_seconds_old()
    {
        var service = Service;
        var created = await service.CreateAsync("db1", KeyScope.Read, [], "cli");
        Assert.NotNull(await service.VerifyAsync(created.Secret));
        var lookups = _store.Lookups;

        // Another server instance revokes the key.
        await new KeyService(_store, _clock).RevokeAsync(created.Key.Id, "cli");
        _clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        var stillCached = await service.VerifyAsync(created.Secret);
        _clock.Advance(TimeSpan.FromTicks(1));
        var afterBound = await service.VerifyAsync(created.Secret);

        Assert.NotNull(stillCached);
        Assert.Equal(lookups + 1, _store.Lookups);
        Assert.Null(afterBound);
        Assert.Equal(KeyService.CacheLifetime, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_unknown_key_is_asked_for_every_time_and_not_cached()
    {
        var unknown = "smk_" + new string('A', 43);

        await Service.VerifyAsync(unknown);
        var service = Service;
        await service.VerifyAsync(unknown);
        await service.VerifyAsync(unknown);

        Assert.Equal(3, _store.Lookups);
    }

    [Fact]
    public async Task Create_passes_on_the_stores_refusals()
    {
        await Service.CreateAsync("db1", KeyScope.Read, [], "cli");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Service.CreateAsync("db1", KeyScope.Read, [], "cli"));
        var invalid = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync("", KeyScope.Read, [], "cli"));
        Assert.Equal("key.Name", invalid.Errors[0].Path);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("backup-*", "backup-db1", true)]
    [InlineData("backup-*", "backup-", true)]
    [InlineData("backup-*", "nightly-backup-db1", false)]
    [InlineData("*-backup", "nightly-backup", true)]
    [InlineData("db?-dump", "db1-dump", true)]
    [InlineData("db?-dump", "db10-dump", false)]
    [InlineData("db?-dump", "db-dump", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("Report", "report", false)]
    [InlineData("r?port", "r😀port", true)]
    [InlineData("exact", "exact", true)]
    public void A_glob_matches_script_names(string pattern, string name, bool matches) =>
        Assert.Equal(matches, ScriptPattern.IsMatch(pattern, name));

    [Fact]
    public void AllowsScript_admin_always_read_never_ingest_by_its_patterns_or_all_when_it_has_none()
    {
        ApiKey Of(KeyScope scope, params string[] patterns) => new("aaaaaaaa", "k", scope, patterns, Now, "cli");

        Assert.True(KeyService.AllowsScript(Of(KeyScope.Admin), "any"));
        Assert.False(KeyService.AllowsScript(Of(KeyScope.Read), "any"));
        Assert.True(KeyService.AllowsScript(Of(KeyScope.Ingest), "any"));
        Assert.True(KeyService.AllowsScript(Of(KeyScope.Ingest, "web-*", "db-*"), "db-dump"));
        Assert.False(KeyService.AllowsScript(Of(KeyScope.Ingest, "web-*", "db-*"), "mail-queue"));
    }

    /// <summary>A key store in memory, with the store's unique rules, that remembers what it was given.</summary>
    private sealed class MemoryKeyStore : IKeyStore
    {
        private readonly List<(ApiKey Key, byte[] Hash)> _keys = [];

        public IReadOnlyList<(ApiKey Key, byte[] Hash)> Added => _keys;

        public int Lookups { get; private set; }

        public Task AddKeyAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default)
        {
            KeyValidation.Name(key.Name, "key.Name");
            if (_keys.Any(k => k.Key.IsActive && k.Key.Name == key.Name))
            {
                throw new InvalidOperationException($"A key named '{key.Name}' is active already.");
            }

            _keys.Add((key with { CreatedAt = Timestamps.Normalize(key.CreatedAt) }, secretHash));
            return Task.CompletedTask;
        }

        public Task<ApiKey?> FindKeyAsync(byte[] secretHash, CancellationToken cancellationToken = default)
        {
            Lookups++;
            return Task.FromResult(_keys.Where(k => k.Hash.SequenceEqual(secretHash)).Select(k => k.Key).FirstOrDefault());
        }

        public Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ApiKey>>([.. _keys.Select(k => k.Key)]);

        public Task<bool> RevokeKeyAsync(string nameOrId, DateTimeOffset at, string actor, CancellationToken cancellationToken = default)
        {
            var index = _keys.FindIndex(k => k.Key.IsActive && (k.Key.Id == nameOrId || k.Key.Name == nameOrId));
            if (index < 0)
            {
                return Task.FromResult(false);
            }

            _keys[index] = (_keys[index].Key with { RevokedAt = at }, _keys[index].Hash);
            return Task.FromResult(true);
        }

        public Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>([]);
    }
}
