using System.CommandLine;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon key create|list|revoke</c>: the API keys a server accepts, managed on the store's host. A key's text
/// is printed once, when it is created; the store keeps only its hash.
/// </summary>
internal static class KeyCommand
{
    internal const string Name = "key";

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["key.Name"] = "--name",
        ["key.ScriptPatterns[]"] = "--script",
        ["key.ScriptPatterns"] = "--script",
        ["key.Secret"] = "--secret",
        [StoreKeys.NameOrIdPath] = "NAME|ID",
    };

    internal static Command Create(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "The key's name, unique among active keys: who or what holds it.", HelpName = "NAME", Required = true };
        var scope = new Option<string>("--scope") { Description = "What the key may do: ingest (record runs), read (read everything), admin (everything).", HelpName = "ingest|read|admin", Required = true };
        var scripts = new Option<string[]>("--script")
        {
            Description = "For an ingest key: a script it may record, a glob with * and ? (repeat for more). Default: every script.",
            HelpName = "PATTERN",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var secret = new Option<string?>("--secret")
        {
            Description = "Keep a Healthchecks API key its clients already hold: hcw_… for an admin key, hcr_… for a read key (or a 32-character key from before the prefixes). Give it with SCRIPTMON_KEY_SECRET to keep it off the command line.",
            HelpName = "KEY",
        };
        var createJson = CommonOptions.Json();
        var create = new Command("create", "Create a key and print it once; only its hash is stored.") { name, scope, scripts, secret, createJson };
        create.SetAction(parse => CreateKey(
            context,
            parse.GetValue(name)!,
            parse.GetValue(scope)!,
            parse.GetValue(scripts) ?? [],
            parse.GetValue(secret) ?? NonEmpty(Environment.GetEnvironmentVariable(SecretVariable)),
            parse.GetValue(createJson)));

        var listJson = CommonOptions.Json();
        var list = new Command("list", "List every key, revoked ones too: id, name, scope, scripts, when created and revoked. Never a key's text.") { listJson };
        list.SetAction(parse => List(context, parse.GetValue(listJson)));

        var nameOrId = new Argument<string>("NAME|ID") { Description = "The key's name or id, as 'scriptmon key list' shows it." };
        var revokeJson = CommonOptions.Json();
        var revoke = new Command("revoke", "Revoke an active key; exit 1 when no active key has that name or id.") { nameOrId, revokeJson };
        revoke.SetAction(parse => Revoke(context, parse.GetValue(nameOrId)!, parse.GetValue(revokeJson)));

        return new Command(Name, "API keys for scriptmon-server: create, list, revoke.") { create, list, revoke };
    }

    /// <summary>Where <c>--secret</c> may come from instead: a command line is seen by every user of the host.</summary>
    internal const string SecretVariable = "SCRIPTMON_KEY_SECRET";

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static int CreateKey(CliContext context, string name, string scopeText, string[] scripts, string? secret, bool json)
    {
        var scope = ParseScope(scopeText);
        if (scripts.Length > 0 && scope != KeyScope.Ingest)
        {
            throw new UsageException("--script limits an ingest key to some scripts; a read or admin key covers every script. Give it with --scope ingest.");
        }

        KeyCreatedView created;
        try
        {
            created = secret is null
                ? CliContext.Await(context.Services.Keys.CreateAsync(name, scope, scripts))
                : CliContext.Await(context.Services.Keys.AdoptAsync(name, scope, secret));
        }
        catch (InvalidOperationException)
        {
            // Nothing was written: the name is taken by an active key, which is the user's to resolve.
            context.Terminal.Error.WriteLine(secret is null
                ? $"scriptmon: error: --name: a key named '{name}' is active already; revoke it ('scriptmon key revoke') or choose another name."
                : $"scriptmon: error: --name/--secret: a key named '{name}' is active already, or a key has that text; nothing was added.");
            return ExitCodes.Failure;
        }

        if (json)
        {
            return Json.Write(context, created, ViewJsonContext.Default.KeyCreatedView);
        }

        if (secret is not null)
        {
            // The holder has the text already; printing it again would only put it in a log.
            context.Terminal.Out.WriteLine($"Added the {created.Key.Scope} key '{created.Key.Name}' (id {created.Key.Id}) with the given text; only its hash is stored.");
            return ExitCodes.Ok;
        }

        context.Terminal.Out.WriteLine(created.Secret);
        context.Terminal.Error.WriteLine(
            $"scriptmon: created the {created.Key.Scope} key '{created.Key.Name}' (id {created.Key.Id}). This is the only time it is shown: only its hash is stored.");
        return ExitCodes.Ok;
    }

    private static int List(CliContext context, bool json)
    {
        var keys = CliContext.Await(context.Services.Keys.ListAsync());
        if (json)
        {
            return Json.Write(context, keys, ViewJsonContext.Default.KeyListView);
        }

        if (keys.Keys.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No keys in {keys.Store} (create one with 'scriptmon key create --name NAME --scope ingest|read|admin').");
            return ExitCodes.Ok;
        }

        var table = new Table("ID", "NAME", "SCOPE", "SCRIPTS", "CREATED", "REVOKED");
        foreach (var key in keys.Keys)
        {
            var revoked = key.RevokedAt is not null;
            table.Add(
                (key.Id, Tint.None),
                (key.Name, revoked ? Tint.Dim : Tint.Bold),
                (key.Scope, Tint.None),
                (key.Scripts.Count == 0 ? (key.Scope == "ingest" ? "*" : "-") : string.Join(' ', key.Scripts), Tint.None),
                (key.CreatedAt, Tint.None),
                (key.RevokedAt ?? "-", revoked ? Tint.Warn : Tint.None));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static int Revoke(CliContext context, string nameOrId, bool json)
    {
        var revoked = CliContext.Await(context.Services.Keys.RevokeAsync(nameOrId));
        return Json.WriteChange(
            context,
            revoked,
            ViewJsonContext.Default.KeyRevokedView,
            json,
            revoked.Revoked,
            $"Revoked the key '{nameOrId}'.",
            $"scriptmon: no active key has the name or id '{nameOrId}' (see 'scriptmon key list').");
    }

    private static KeyScope ParseScope(string text) => text switch
    {
        "ingest" => KeyScope.Ingest,
        "read" => KeyScope.Read,
        "admin" => KeyScope.Admin,
        _ => throw new UsageException($"--scope must be ingest, read or admin (got '{text}')."),
    };
}
