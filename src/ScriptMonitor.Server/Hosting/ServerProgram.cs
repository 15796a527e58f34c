using Microsoft.Extensions.Configuration.Memory;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Dashboard;
using ScriptMonitor.Server.Ingest;
using ScriptMonitor.Server.Metrics;
using ScriptMonitor.Server.Peers;
using Microsoft.Extensions.Options;
using ScriptMonitor.Server.Health;
using ScriptMonitor.Server.Alerts;

namespace ScriptMonitor.Server.Hosting;

/// <summary>Builds and runs the server: configuration, the store, the routes; exit codes for the person or unit that started it.</summary>
internal static class ServerProgram
{
    public const string ProgramName = "scriptmon-server";

    public const int ExitOk = 0;
    public const int ExitStartFailed = 1;

    /// <summary>An optional JSON configuration file every installation may have.</summary>
    public const string SystemConfigFile = "/etc/scriptmon/server.json";

    /// <summary>Names another configuration file in place of <see cref="SystemConfigFile"/>.</summary>
    public const string ConfigFileVariable = "SCRIPTMON_SERVER_CONFIG";

    private static readonly Dictionary<string, string?> QuietDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (ServerStartException e)
        {
            await Console.Error.WriteLineAsync($"scriptmon-server: {e.Message}").ConfigureAwait(false);
            return ExitStartFailed;
        }

        await using (app.ConfigureAwait(false))
        {
            // The host does not own an instance it was handed; close the store (and free its lock) after the last request.
            var store = app.Services.GetRequiredService<ServerStore>();
            await using (store.ConfigureAwait(false))
            {
                try
                {
                    await app.RunAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
                {
                    // Kestrel refusing its settings (a port in use, a certificate that is missing or whose password is
                    // wrong) is a setting to fix, not a crash.
                    await Console.Error.WriteLineAsync($"scriptmon-server: cannot listen: {e.Message}").ConfigureAwait(false);
                    return ExitStartFailed;
                }
            }
        }

        return ExitOk;
    }

    internal static WebApplication Build(string[] args)
    {
        // The host's default appsettings.json reloads on change, which watches the working directory and everything
        // under it (every subdirectory gets an inotify watch, and every write below it, the store's own included, wakes
        // the watcher thread): a third of the server's CPU per run when the store lies under the working directory,
        // and a walk of the whole file system when that directory is /. Settings come from the file named below and
        // the command line, read once; a later --hostBuilder:reloadConfigOnChange=true still wins.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        // A line per request costs more than the request at thousands a second; every setting below can raise it again.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietDefaults });
        var configFile = Environment.GetEnvironmentVariable(ConfigFileVariable);
        builder.Configuration.AddJsonFile(string.IsNullOrEmpty(configFile) ? SystemConfigFile : configFile, optional: string.IsNullOrEmpty(configFile));
        // Settings given on the command line win over the file, as they do everywhere else.
        builder.Configuration.AddCommandLine(args);
        builder.Host.UseSystemd();
        // HTTPS endpoints and certificates from settings (Kestrel:Endpoints, Kestrel:Certificates); the slim builder
        // leaves this out unless asked.
        builder.WebHost.UseKestrelHttpsConfiguration();

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.WebHost.UseUrls(ServerOptions.DefaultUrl);
        }

        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServerOperations(options);
        var store = ServerStore.Open(options, TimeProvider.System);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(provider => MonitorServices.For(
            MonitorLocation.Of(store.Location),
            TimeProvider.System,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("ScriptMonitor.Server"),
            ProgramName));
        builder.Services.AddSingleton<OverviewSnapshot>();
        builder.Services.AddSingleton(new KeyService(store.Runs, TimeProvider.System));
        builder.AddAlerts(store);
        builder.Services.AddSingleton(new ChannelService(store.Runs, TimeProvider.System));
        builder.Services.AddSingleton<ICallerKeys, StoreCallerKeys>();
        builder.Services.AddSingleton(Options.Create(builder.Configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions()));
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<PingKeyCache>();
        builder.Services.AddSingleton<OpenRuns>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OpenRuns>());
        // Started before the web server and stopped after it: requests still in flight at a stop get their commit.
        builder.Services.AddHostedService(provider => provider.GetRequiredService<IngestQueue>());
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ScriptMonitor API";
            document.Info.Description = "The native API of scriptmon-server. Keys: Authorization: Bearer KEY or X-Api-Key: KEY.";
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ViewJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, ServerJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(2, ChannelJsonContext.Default);
        });

        var app = builder.Build();
        app.UseServerOperations();
        app.MapHealthEndpoints();
        app.MapNativeApi();
        app.MapMetricsEndpoint();
        app.MapDashboard();
        app.MapHealthchecksApi();
        app.MapHealthchecksPing();
        app.MapCronitorTelemetry();
        app.MapUptimeKumaPush();
        return app;
    }
}
