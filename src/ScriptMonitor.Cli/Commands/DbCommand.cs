using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon db info</c>, <c>db migrate</c> and <c>db backup</c>: which store is used, its schema and size, a copy of it.</summary>
internal static class DbCommand
{
    internal static Command Create(CliContext context)
    {
        var infoJson = CommonOptions.Json();
        var infoUser = new Option<string?>("--user") { Description = "Show instead which store USER's commands and cron jobs record into (their configuration file and the system one), and whether they may write it.", HelpName = "USER" };
        var info = new Command("info", "Show which store is used and why, its schema version and size, and where locks, spool and cron control live.") { infoUser, infoJson };
        info.SetAction(parse => parse.GetValue(infoUser) is { } user ? UserInfo(context, user, parse.GetValue(infoJson)) : Info(context, parse.GetValue(infoJson)));

        var migrateJson = CommonOptions.Json();
        var migrate = new Command("migrate", "Create the store if needed and bring its schema up to date.") { migrateJson };
        migrate.SetAction(parse => Migrate(context, parse.GetValue(migrateJson)));

        var path = new Argument<string>("PATH") { Description = "Where the copy goes: a new file (an existing one only with --force)." };
        var force = new Option<bool>("--force") { Description = "Replace a file that is at PATH already." };
        var backup = new Command("backup", "Write a consistent copy of the SQLite store to PATH while it is in use (PostgreSQL: use pg_dump).") { path, force };
        backup.SetAction(parse => Backup(context, parse.GetValue(path)!, parse.GetValue(force)));

        return new Command("db", "The store: what and where it is, its schema, and its backup.") { info, migrate, backup };
    }

    /// <summary>
    /// Reads, never writes: an older schema is shown as such. A store that cannot be used is reported with
    /// everything else this command knows (where the configuration, locks and spool are), then exit 3.
    /// </summary>
    private static int Info(CliContext context, bool json)
    {
        var model = CliContext.Await(StoreReport.InfoAsync(context.Services.Store, CliContext.ResolveSettings()));
        Write(context, model, json);
        if (model.Problem is { } problem)
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: {problem}");
            return ExitCodes.Unavailable;
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Which store a user records into, read from their configuration as their commands would read it, without
    /// opening it: what cannot be known of their session is said, and taken as unset.
    /// </summary>
    private static int UserInfo(CliContext context, string name, bool json)
    {
        var user = UserStores.Find(name) ?? throw new UsageException($"--user: there is no user '{name}' on this host.");
        var environment = UserStores.Environment(user, variables: null);
        var location = MonitorLocator.ResolveFor(environment);
        var problem = UserStores.WriteProblem(user, location);
        var view = new UserStoreView(
            user.Name,
            user.Id,
            user.Home,
            location.ToString(),
            SourceText(location.Source),
            StoreLocator.ConfigFilePathFrom(environment),
            StoreLocator.SystemConfigFilePathFrom(environment),
            location.Store is { } store && StoreBackup.Supports(store) ? problem is null : null,
            problem,
            UserStores.Assumed);
        if (json)
        {
            return Json.Write(context, view, ViewJsonContext.Default.UserStoreView);
        }

        var output = context.Terminal.Out;
        output.WriteLine($"user:           {view.User} (uid {view.UserId.ToString(CultureInfo.InvariantCulture)}, home {view.Home})");
        output.WriteLine($"store:          {view.Store}");
        output.WriteLine($"chosen by:      {view.Source}");
        output.WriteLine($"may write:      {view.MayWrite switch { true => "yes", false => "no", null => "cannot be told from here" }}");
        if (view.Problem is { } reason)
        {
            output.WriteLine($"problem:        {reason}");
        }

        output.WriteLine($"config file:    {view.ConfigFile}{(File.Exists(view.ConfigFile) ? string.Empty : " (none)")}");
        output.WriteLine($"system file:    {view.SystemConfigFile}{(File.Exists(view.SystemConfigFile) ? string.Empty : " (none)")}");
        output.WriteLine($"assumed:        {view.Assumed}");
        return ExitCodes.Ok;
    }

    /// <summary>Which step of the configuration path chose a store or server, as <c>db info</c> says it.</summary>
    internal static string SourceText(StoreLocationSource source) => source switch
    {
        StoreLocationSource.Explicit => "--database",
        StoreLocationSource.Environment => "the environment (SCRIPTMON_DATABASE or SCRIPTMON_SERVER)",
        StoreLocationSource.ConfigFile => "the configuration file",
        StoreLocationSource.SystemConfigFile => "the system configuration file",
        _ => "the default",
    };

    private static int Migrate(CliContext context, bool json) =>
        Write(context, CliContext.Await(StoreReport.MigrateAsync(context.Services.Store, CliContext.ResolveSettings())), json);

    /// <summary>
    /// The copy is written beside PATH and renamed into place once it is complete and on disk, so PATH is either the
    /// old file or the whole copy. Restoring is pointing the store setting at the copy.
    /// </summary>
    private static int Backup(CliContext context, string path, bool force)
    {
        var store = context.Services.Store;
        if (!StoreBackup.Supports(store.Location))
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: the store {store.Location} is a PostgreSQL database; back it up with pg_dump (and restore with pg_restore or psql), not with 'scriptmon db backup'.");
            return ExitCodes.Usage;
        }

        var destination = Path.GetFullPath(path);
        if (Directory.Exists(destination))
        {
            throw new UsageException($"PATH: {destination} is a directory; name the file the copy is written to.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(destination)))
        {
            throw new UsageException($"PATH: the directory {Path.GetDirectoryName(destination)} does not exist.");
        }

        if (File.Exists(destination) && !force)
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: PATH: {destination} exists already; nothing was written (--force replaces it).");
            return ExitCodes.Failure;
        }

        var size = StoreBackup.Backup(store, destination);
        context.Terminal.Out.WriteLine($"Backed up {store.Location} to {destination} ({size} bytes).");
        return ExitCodes.Ok;
    }

    private static int Write(CliContext context, DbInfoView model, bool json)
    {
        if (json)
        {
            return Json.Write(context, model, ViewJsonContext.Default.DbInfoView);
        }

        var output = context.Terminal.Out;
        output.WriteLine($"store:          {model.Store}");
        output.WriteLine($"chosen by:      {model.Source}");
        output.WriteLine($"exists:         {model.Exists switch
        {
            true => "yes",
            false => "no (created by the first run recorded, or by 'scriptmon db migrate')",
            null => "cannot tell",
        }}");
        if (model.Problem is { } reason)
        {
            output.WriteLine($"problem:        {reason}");
        }

        output.WriteLine($"schema version: {model.SchemaVersion switch
        {
            { } v when v < model.LatestSchemaVersion => $"{v} (latest {model.LatestSchemaVersion}; 'scriptmon db migrate' upgrades it, and read commands refuse it until then)",
            { } v => $"{v} (latest {model.LatestSchemaVersion})",
            null => "-",
        }}");
        output.WriteLine($"size:           {(model.SizeBytes is { } size ? $"{size} bytes" : "-")}");
        output.WriteLine($"runs:           {model.RunCount}");
        output.WriteLine($"scripts:        {model.ScriptCount}");
        output.WriteLine($"config file:    {model.ConfigFile}");
        output.WriteLine($"lock directory: {model.LockDirectory}");
        output.WriteLine($"spool:          {model.SpoolDirectory}");
        output.WriteLine($"cron control:   {model.CronControl}");
        return ExitCodes.Ok;
    }
}
