using System.CommandLine;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon ping-key [set KEY]</c> and <c>scriptmon ping-id NAME [--set UUID]</c>: the installation's ping key
/// and a script's ping UUID in peers' ping URLs (Healthchecks, Cronitor, Uptime Kuma), shown or set on the store's
/// host. They are write capabilities, so only the store's host sees them (as admin keys do over the API); setting
/// them keeps the URLs a team's crontabs already hold when it moves from Healthchecks.
/// </summary>
internal static class PingIdentityCommands
{
    internal const string KeyName = "ping-key";

    internal const string IdName = "ping-id";

    /// <summary>The library's fields, as these commands' user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["pingId"] = "--set",
        ["pingKey"] = "KEY",
        ["scriptName"] = "NAME",
    };

    internal static Command CreateKey(CliContext context)
    {
        var key = new Argument<string>("KEY") { Description = "The key: 16 to 64 characters of a-z, A-Z, 0-9, '-' and '_' (a Healthchecks project's ping key)." };
        var set = new Command("set", "Set the ping key, in place of the one there: slug URLs with the old key stop working.") { key };
        set.SetAction(parse => SetKey(context, parse.GetValue(key)!));
        var command = new Command(KeyName, "Show the installation's ping key of slug URLs (made when there is none), or set it.") { set };
        command.SetAction(_ => ShowKey(context));
        return command;
    }

    internal static Command CreateId(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The script's name." };
        var uuid = new Option<string?>("--set") { Description = "Give the script this ping UUID (a Healthchecks check's), in place of the one it had.", HelpName = "UUID" };
        var command = new Command(IdName, "Show a script's ping UUID, slug and Kuma push token (made when it has none), or set its UUID.") { name, uuid };
        command.SetAction(parse => Id(context, parse.GetValue(name)!, parse.GetValue(uuid)));
        return command;
    }

    private static int ShowKey(CliContext context)
    {
        using var store = context.Services.Store.OpenForWriting();
        context.Terminal.Out.WriteLine(CliContext.Await(store.EnsurePingKeyAsync()));
        return ExitCodes.Ok;
    }

    private static int SetKey(CliContext context, string key)
    {
        PingIdentity.CheckPingKey(key, "pingKey");
        using var store = context.Services.Store.OpenForWriting();
        CliContext.Await(SetAsync(store, key));
        context.Terminal.Out.WriteLine("Set the ping key; slug URLs name the installation with it now (a running scriptmon-server reads it at its next start).");
        return ExitCodes.Ok;
    }

    private static async Task<bool> SetAsync(IPingIdentityStore store, string key)
    {
        await store.SetPingKeyAsync(key).ConfigureAwait(false);
        return true;
    }

    private static int Id(CliContext context, string name, string? uuidText)
    {
        Guid? uuid = null;
        if (uuidText is not null)
        {
            uuid = Guid.TryParseExact(uuidText, "D", out var parsed)
                ? parsed
                : throw new UsageException($"--set must be a UUID such as 5b1d2a0c-9f7e-4e11-8f35-0c2a6b7d9e01 (got '{uuidText}').");
        }

        Runs.RunValidation.ScriptName(name, "scriptName");
        using var store = context.Services.Store.OpenForWriting();
        var identity = uuid is { } given
            ? CliContext.Await(store.SetPingIdentityAsync(name, given))
            : CliContext.Await(store.EnsurePingIdentityAsync(name));
        context.Terminal.Out.WriteLine($"script      {identity.ScriptName}");
        context.Terminal.Out.WriteLine($"ping UUID   {identity.PingId:D}");
        context.Terminal.Out.WriteLine($"slug        {identity.Slug}");
        context.Terminal.Out.WriteLine($"push token  {identity.PingId:N}");
        return ExitCodes.Ok;
    }
}
