namespace ScriptMonitor.Application.Views;

/// <summary>Which store a user of the host records into, as far as it can be told from outside their session (<c>scriptmon db info --user NAME --json</c>).</summary>
/// <param name="User">The user.</param>
/// <param name="UserId">Their numeric id.</param>
/// <param name="Home">Their home directory, from the user database.</param>
/// <param name="Store">The store (or server) their commands and cron jobs record into, for people.</param>
/// <param name="Source">Which step of the configuration path chose it.</param>
/// <param name="ConfigFile">Their own configuration file, read first.</param>
/// <param name="SystemConfigFile">The system configuration file, read after theirs.</param>
/// <param name="MayWrite">Whether they may write that store (a SQLite file, by its and its directories' permissions); null when that cannot be told from here (a database server, a ScriptMonitor server).</param>
/// <param name="Problem">Why their runs would not be recorded there, and how to fix it; null when nothing is known against it.</param>
/// <param name="Assumed">What could not be known and was taken as unset: their session's environment.</param>
public sealed record UserStoreView(
    string User,
    long UserId,
    string Home,
    string Store,
    string Source,
    string ConfigFile,
    string SystemConfigFile,
    bool? MayWrite,
    string? Problem,
    string Assumed);
