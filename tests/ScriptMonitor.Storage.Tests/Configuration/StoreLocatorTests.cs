using ScriptMonitor.Application.Stores;
using ScriptMonitor.Configuration;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Storage.Tests.Configuration;

/// <summary>The one configuration path, read by the stores this build registers: which setting names which kind of store.</summary>
public sealed class StoreLocatorTests : IDisposable
{
    private static readonly IStoreProvider Sqlite = ScriptRunStores.Providers.OfType<SqliteStoreProvider>().Single();

    private static readonly IStoreProvider PostgreSql = ScriptRunStores.Providers.OfType<PostgreSqlStoreProvider>().Single();

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("scriptmon-home-");

    public void Dispose() => _home.Delete(recursive: true);

    [Fact]
    public void With_nothing_configured_the_store_is_the_embedded_default_under_the_data_directory()
    {
        var location = StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName)));

        Assert.Equal(new StoreLocation(Sqlite, Path.Combine(_home.FullName, ".local", "share", "scriptmon", "scriptmon.db"), StoreLocationSource.Default), location);
    }

    [Fact]
    public void XDG_DATA_HOME_moves_the_default()
    {
        var location = StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName), ("XDG_DATA_HOME", "/var/lib/data")));

        Assert.Equal("/var/lib/data/scriptmon/scriptmon.db", location.Target);
    }

    [Fact]
    public void The_config_file_beats_the_default()
    {
        WriteConfig("""{ "database": "/srv/runs.db" }""");

        var location = StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName)));

        Assert.Equal(new StoreLocation(Sqlite, "/srv/runs.db", StoreLocationSource.ConfigFile), location);
    }

    [Fact]
    public void The_environment_beats_the_config_file()
    {
        WriteConfig("""{ "database": "/srv/runs.db" }""");

        var location = StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName), (StoreLocator.DatabaseVariable, "postgresql://mon@db1/runs")));

        Assert.Equal(new StoreLocation(PostgreSql, "postgresql://mon@db1/runs", StoreLocationSource.Environment), location);
    }

    [Fact]
    public void An_explicit_setting_beats_everything()
    {
        var location = StoreLocator.Resolve(ScriptRunStores.Providers, "/tmp/explicit.db", Environment(("HOME", _home.FullName), (StoreLocator.DatabaseVariable, "/tmp/env.db")));

        Assert.Equal(new StoreLocation(Sqlite, "/tmp/explicit.db", StoreLocationSource.Explicit), location);
    }

    [Fact]
    public void SCRIPTMON_CONFIG_names_another_config_file()
    {
        var file = Path.Combine(_home.FullName, "other.json");
        File.WriteAllText(file, """{ "database": "Host=db2;Username=mon;Password=secret" }""");

        var location = StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName), (StoreLocator.ConfigFileVariable, file)));

        Assert.Same(PostgreSql, location.Provider);
        Assert.Equal(StoreLocationSource.ConfigFile, location.Source);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "must hold a JSON object")]
    [InlineData("""{ "database": 42 }""", "\"database\" must be a string")]
    public void A_malformed_config_file_is_an_error_naming_the_file_and_the_problem(string content, string problem)
    {
        var path = WriteConfig(content);

        var error = Assert.Throws<ConfigurationException>(() => StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName))));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:p@h/db", true)]
    [InlineData("postgresql://h", true)]
    [InlineData("Host=h;Database=d", true)]
    [InlineData("server = h; database = d", true)]
    [InlineData("/var/lib/scriptmon/runs.db", false)]
    [InlineData("relative.db", false)]
    [InlineData("weird;name=x.db", false)]
    public void A_setting_is_read_as_PostgreSQL_or_as_a_SQLite_path(string setting, bool postgreSql)
    {
        Assert.Same(postgreSql ? PostgreSql : Sqlite, ScriptRunStores.Parse(setting, StoreLocationSource.Explicit).Provider);
    }

    [Fact]
    public void A_SQLite_path_is_made_absolute()
    {
        var location = ScriptRunStores.Parse("relative.db", StoreLocationSource.Explicit);

        Assert.True(Path.IsPathRooted(location.Target));
        Assert.Equal(Path.GetFullPath("relative.db"), location.Target);
    }

    [Fact]
    public void Printing_a_location_hides_the_password()
    {
        var location = ScriptRunStores.Parse("Host=db1;Username=mon;Password=s3cret;Database=runs", StoreLocationSource.Explicit);

        Assert.Equal("postgresql:Host=db1;Username=mon;Password=***;Database=runs", location.ToString());
    }

    [Fact]
    public void Printing_a_URI_location_hides_the_password()
    {
        var location = ScriptRunStores.Parse("postgresql://mon:s3cret@db1:5432/runs", StoreLocationSource.Explicit);

        Assert.Equal("postgresql:postgresql://mon:***@db1:5432/runs", location.ToString());
    }

    [Fact]
    public void An_empty_setting_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => ScriptRunStores.Parse(" ", StoreLocationSource.Explicit));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_explicit_setting_given_empty_is_refused_rather_than_replaced_by_the_rest_of_the_path(string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => StoreLocator.Resolve(ScriptRunStores.Providers, setting, Environment(("HOME", _home.FullName), (StoreLocator.DatabaseVariable, "/tmp/env.db"))));

        Assert.StartsWith("The store setting must name a SQLite file or a PostgreSQL connection string; it is empty.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database=runs;Username=mon")]
    [InlineData("Username=mon")]
    [InlineData("port=5432; database=runs")]
    [InlineData("runs.db;Password=secret")]
    [InlineData("User ID=mon;SSL Mode=Require")]
    public void A_connection_string_without_a_host_is_refused_rather_than_taken_for_a_file_name(string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => ScriptRunStores.Parse(setting, StoreLocationSource.Explicit));

        Assert.Contains("is a PostgreSQL connection string that names no host", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://db1/runs", "mysql")]
    [InlineData("http://monitor:8080", "http")]
    [InlineData("file:///var/lib/runs.db", "file")]
    public void A_URI_of_another_kind_is_refused_rather_than_taken_for_a_file_name(string setting, string scheme)
    {
        var error = Assert.Throws<ArgumentException>(() => ScriptRunStores.Parse(setting, StoreLocationSource.Explicit));

        Assert.Contains($"is a {scheme}: URI", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SQLite_path_may_carry_the_prefix_that_locations_are_printed_with()
    {
        var printed = ScriptRunStores.Parse("/var/lib/runs.db", StoreLocationSource.Explicit).ToString();

        Assert.Equal("/var/lib/runs.db", ScriptRunStores.Parse(printed, StoreLocationSource.Explicit).Target);
    }

    [Fact]
    public void A_relative_database_in_the_config_file_is_beside_the_file()
    {
        var path = WriteConfig("""{ "database": "data/runs.db" }""");

        var location = StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName)));

        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "data", "runs.db"), location.Target);
    }

    [Theory]
    [InlineData("""{ "database": "" }""", "\"database\" is empty")]
    [InlineData("""{ "spoolDirectory": "  " }""", "\"spoolDirectory\" is empty")]
    [InlineData("""{ "database": "Database=runs" }""", "\"database\": The store setting 'Database=runs' is a PostgreSQL connection string that names no host")]
    public void An_unusable_entry_in_the_config_file_is_an_error_naming_the_file_and_the_entry(string content, string problem)
    {
        var path = WriteConfig(content);

        var error = Assert.Throws<ConfigurationException>(() => StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName))));

        Assert.Contains($"Configuration file {path}: {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_string_without_a_host_in_the_environment_is_an_error_naming_the_variable()
    {
        var error = Assert.Throws<ConfigurationException>(() => StoreLocator.Resolve(ScriptRunStores.Providers, null, Environment(("HOME", _home.FullName), (StoreLocator.DatabaseVariable, "Database=runs"))));

        Assert.StartsWith($"{StoreLocator.DatabaseVariable}: The store setting 'Database=runs' is a PostgreSQL connection string that names no host", error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    private string WriteConfig(string content)
    {
        var path = Path.Combine(_home.FullName, ".config", "scriptmon", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
