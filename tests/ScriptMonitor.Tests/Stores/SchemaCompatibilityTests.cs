using ScriptMonitor.Stores;

namespace ScriptMonitor.Tests.Stores;

/// <summary>The rules every store applies when builds of two versions share it.</summary>
public sealed class SchemaCompatibilityTests
{
    private static readonly SchemaMigration Expands = new("adds", "…") { KeepsOlderWriters = true };

    private static readonly SchemaMigration Contracts = new("removes", "…");

    [Theory]
    [InlineData(5, null, 5, SchemaAccess.Current)]
    [InlineData(4, null, 5, SchemaAccess.Older)]
    [InlineData(0, null, 5, SchemaAccess.Older)]
    [InlineData(6, 4, 5, SchemaAccess.NewerCompatible)]
    [InlineData(6, 5, 5, SchemaAccess.NewerCompatible)]
    [InlineData(7, 6, 5, SchemaAccess.Incompatible)]
    [InlineData(6, null, 5, SchemaAccess.Incompatible)]
    public void A_build_may_use_a_store_as_far_as_the_store_s_oldest_writer_allows(int storeVersion, int? oldestWriter, int latestKnown, SchemaAccess access) =>
        Assert.Equal(access, SchemaCompatibility.Judge(storeVersion, oldestWriter, latestKnown));

    [Fact]
    public void Migrations_that_only_expand_keep_the_oldest_writer_and_one_that_contracts_raises_it_to_its_own_version()
    {
        SchemaMigration[] migrations = [Contracts, Contracts, Expands, Expands, Contracts, Expands];

        Assert.Equal(2, SchemaCompatibility.OldestWriterAfter(migrations, fromVersion: 0, oldestWriter: 0, toVersion: 4));
        Assert.Equal(2, SchemaCompatibility.OldestWriterAfter(migrations, fromVersion: 2, oldestWriter: 2, toVersion: 4));
        Assert.Equal(5, SchemaCompatibility.OldestWriterAfter(migrations, fromVersion: 3, oldestWriter: 2, toVersion: 6));
    }

    [Fact]
    public void The_refusal_names_the_store_its_versions_and_the_remedy()
    {
        var error = SchemaCompatibility.Incompatible("The database postgresql://mon@db1:5432/runs", 7, 6, 5);

        Assert.Equal(
            "The database postgresql://mon@db1:5432/runs is at schema version 7, newer than this ScriptMonitor knows (5), and accepts no build older than schema version 6; upgrade ScriptMonitor on this host.",
            error.Message);
    }
}
