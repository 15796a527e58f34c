using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Tests.Application.Configuration;

/// <summary>Which wins when both a server and a database are configured: the earlier step of the path, then the server.</summary>
public sealed class MonitorLocatorTests : IDisposable
{
    private const string Server = "https://monitor.example:8443/";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("monitor-locator-");
    private readonly Dictionary<string, string> _environment = [];

    public MonitorLocatorTests()
    {
        _environment["SCRIPTMON_CONFIG"] = ConfigPath;
        _environment["SCRIPTMON_SYSTEM_CONFIG"] = SystemConfigPath;
        _environment["HOME"] = _directory.FullName;
    }

    private string ConfigPath => Path.Combine(_directory.FullName, "config.json");

    private string SystemConfigPath => Path.Combine(_directory.FullName, "etc", "config.json");

    private string Database => Path.Combine(_directory.FullName, "runs.db");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void At_one_step_the_server_wins_over_the_database_and_the_key_comes_with_it()
    {
        _environment["SCRIPTMON_SERVER"] = Server;
        _environment["SCRIPTMON_DATABASE"] = Database;
        _environment["SCRIPTMON_KEY"] = "k1";

        var location = Resolve();

        Assert.Null(location.Store);
        Assert.Equal(new Uri(Server), location.Server!.Url);
        Assert.Equal("k1", location.Server.Key);
        Assert.Equal(StoreLocationSource.Environment, location.Source);
    }

    [Fact]
    public void An_explicit_database_wins_over_a_server_in_the_environment()
    {
        _environment["SCRIPTMON_SERVER"] = Server;

        var location = Resolve(explicitDatabase: Database);

        Assert.Equal($"sqlite:{Database}", location.Store!.ToString());
        Assert.Equal(StoreLocationSource.Explicit, location.Source);
    }

    [Fact]
    public void A_database_in_the_environment_wins_over_a_server_in_the_file()
    {
        File.WriteAllText(ConfigPath, $$"""{ "server": "{{Server}}", "key": "from-file" }""");
        _environment["SCRIPTMON_DATABASE"] = Database;

        Assert.Equal($"sqlite:{Database}", Resolve().Store!.ToString());
    }

    [Fact]
    public void A_server_in_the_file_wins_over_the_file_database_and_takes_the_file_key()
    {
        File.WriteAllText(ConfigPath, $$"""{ "server": "{{Server}}", "database": "runs.db", "key": "from-file" }""");

        var location = Resolve();

        Assert.Equal(new Uri(Server), location.Server!.Url);
        Assert.Equal("from-file", location.Server.Key);
        Assert.Equal(StoreLocationSource.ConfigFile, location.Source);
        Assert.Equal("server:https://monitor.example:8443/", location.ToString());
    }

    [Fact]
    public void The_system_file_is_read_after_the_users_own_and_a_relative_database_is_beside_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SystemConfigPath)!);
        File.WriteAllText(SystemConfigPath, """{ "database": "shared.db", "lockDirectory": "locks" }""");

        var shared = Resolve();
        File.WriteAllText(ConfigPath, """{ "database": "mine.db" }""");
        var mine = Resolve();

        Assert.Equal($"sqlite:{Path.Combine(_directory.FullName, "etc", "shared.db")}", shared.Store!.ToString());
        Assert.Equal(StoreLocationSource.SystemConfigFile, shared.Source);
        Assert.Equal($"sqlite:{Path.Combine(_directory.FullName, "mine.db")}", mine.Store!.ToString());
        Assert.Equal(StoreLocationSource.ConfigFile, mine.Source);
        Assert.Equal(Path.Combine(_directory.FullName, "etc", "locks"), ScriptSettings.Resolve(name => _environment.GetValueOrDefault(name)).LockDirectory);
    }

    [Fact]
    public void A_server_in_the_system_file_serves_every_user_without_one_of_their_own_and_the_users_key_wins()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SystemConfigPath)!);
        File.WriteAllText(SystemConfigPath, $$"""{ "server": "{{Server}}", "key": "host-key" }""");

        var fromSystem = Resolve();
        File.WriteAllText(ConfigPath, """{ "key": "user-key" }""");
        var withUserKey = Resolve();
        File.WriteAllText(ConfigPath, """{ "database": "mine.db" }""");
        var userDatabase = Resolve();

        Assert.Equal(new Uri(Server), fromSystem.Server!.Url);
        Assert.Equal("host-key", fromSystem.Server.Key);
        Assert.Equal(StoreLocationSource.SystemConfigFile, fromSystem.Source);
        Assert.Equal("user-key", withUserKey.Server!.Key);
        Assert.Equal($"sqlite:{Path.Combine(_directory.FullName, "mine.db")}", userDatabase.Store!.ToString());
    }

    [Fact]
    public void A_server_setting_that_is_not_an_http_url_is_a_configuration_problem_naming_it()
    {
        _environment["SCRIPTMON_SERVER"] = "ftp://monitor.example/";

        var error = Assert.Throws<ConfigurationException>(() => Resolve());

        Assert.StartsWith("SCRIPTMON_SERVER: the server setting 'ftp://monitor.example/' must be an http:// or https:// URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_front_end_that_reads_a_store_refuses_a_server_and_says_how_to_name_the_store()
    {
        _environment["SCRIPTMON_SERVER"] = Server;

        var error = Assert.Throws<ConfigurationException>(() => Resolve().RequireStore());

        Assert.Contains("server:https://monitor.example:8443/ (SCRIPTMON_SERVER) names a ScriptMonitor server", error.Message, StringComparison.Ordinal);
        Assert.Contains("SCRIPTMON_DATABASE, --database or \"database\"", error.Message, StringComparison.Ordinal);
    }

    private MonitorLocation Resolve(string? explicitDatabase = null) =>
        MonitorLocator.Resolve(explicitDatabase, explicitServer: null, name => _environment.GetValueOrDefault(name));
}
