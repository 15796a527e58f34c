using System.CommandLine;
using System.Text.Json;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon channel add|list|remove|test</c>: where notifications go. Secrets (an SMTP password, header values)
/// are written and never shown again. Command channels run a program on the server's host, so they are added only on a
/// store this host opens, never through a server.
/// </summary>
internal static class ChannelCommand
{
    internal const string Name = "channel";

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "NAME",
        ["kind"] = "--kind",
        ["settings.url"] = "--url",
        ["settings.method"] = "--method",
        ["settings.body"] = "--body",
        ["settings.allow_private"] = "--allow-private",
        ["settings.username"] = "--username",
        ["settings.host"] = "--smtp-host",
        ["settings.port"] = "--smtp-port",
        ["settings.tls"] = "--tls",
        ["settings.from"] = "--from",
        ["settings.to"] = "--to",
        ["secrets.password"] = "--password-file/--password-env",
        ["settings.program"] = "--command",
        ["settings.args"] = "--arg",
        ["tags[]"] = "--tag",
        ["scripts[]"] = "--script",
        ["repeatEvery"] = "--repeat",
    };

    internal static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The channel's name, unique among channels." };
        var kind = new Option<string>("--kind") { Description = "How it tells: webhook, slack, email or command (command: only on a local store).", HelpName = "webhook|slack|email|command", Required = true };
        var url = new Option<string?>("--url") { Description = "webhook, slack: the URL to send to (webhook: a template, see docs/alerts.md).", HelpName = "URL" };
        var method = new Option<string?>("--method") { Description = "webhook: GET, POST, PUT, PATCH or DELETE (default POST).", HelpName = "METHOD" };
        var headers = Many("--header", "webhook: a header 'Name: value' (a secret, a template); repeat for more.", "'NAME: VALUE'");
        var body = new Option<string?>("--body") { Description = "webhook: the body template (default: the event as JSON).", HelpName = "TEMPLATE" };
        var bodyFile = new Option<string?>("--body-file") { Description = "webhook: read the body template from this file.", HelpName = "FILE" };
        var smtpHost = new Option<string?>("--smtp-host") { Description = "email: the SMTP server.", HelpName = "HOST" };
        var smtpPort = new Option<string?>("--smtp-port") { Description = "email: its port (default 587 with starttls, 465 with tls, 25 with none).", HelpName = "PORT" };
        var tls = new Option<string?>("--tls") { Description = "email: starttls (default), tls or none.", HelpName = "MODE" };
        var from = new Option<string?>("--from") { Description = "email: the sender's address.", HelpName = "ADDRESS" };
        var to = new Option<string?>("--to") { Description = "email: the recipients, separated by commas.", HelpName = "ADDRESS[,ADDRESS]" };
        var username = new Option<string?>("--username") { Description = "email: the SMTP user name (authenticates); slack: the name posted under.", HelpName = "USER" };
        var passwordFile = new Option<string?>("--password-file") { Description = "email: read the SMTP password (a secret) from this file.", HelpName = "FILE" };
        var passwordEnv = new Option<string?>("--password-env") { Description = "email: take the SMTP password (a secret) from this environment variable.", HelpName = "VARIABLE" };
        var program = new Option<string?>("--command") { Description = "command: the program to run, with the event as JSON on stdin and SCRIPTMON_* variables.", HelpName = "PROGRAM" };
        var args = Many("--arg", "command: an argument of the program; repeat for more.", "ARG");
        var tags = Many("--tag", "Only scripts with this tag (repeat for more; with --script, either). Default: every script.", "TAG");
        var scripts = Many("--script", "Only this script (repeat for more; with --tag, either). Default: every script.", "NAME");
        var repeat = new Option<string?>("--repeat") { Description = "Tell again this often while a script stays down, e.g. 4h. Default: never.", HelpName = "DURATION" };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "webhook, slack: allow loopback, private and link-local addresses (refused by default)." };
        var replace = new Option<bool>("--replace") { Description = "Replace a channel of the same name, secrets and all." };
        var addJson = CommonOptions.Json();
        var add = new Command("add", "Add a channel; its configuration is checked first, and nothing is saved when a rule is broken.")
        {
            name, kind, url, method, headers, body, bodyFile, smtpHost, smtpPort, tls, from, to, username, passwordFile, passwordEnv,
            program, args, tags, scripts, repeat, allowPrivate, replace, addJson,
        };
        add.SetAction(parse =>
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
            Set(settings, ChannelSettings.Url, parse.GetValue(url));
            Set(settings, ChannelSettings.Method, parse.GetValue(method));
            Set(settings, ChannelSettings.Body, BodyOf(parse.GetValue(body), parse.GetValue(bodyFile)));
            Set(settings, ChannelSettings.Host, parse.GetValue(smtpHost));
            Set(settings, ChannelSettings.Port, parse.GetValue(smtpPort));
            Set(settings, ChannelSettings.Tls, parse.GetValue(tls));
            Set(settings, ChannelSettings.From, parse.GetValue(from));
            Set(settings, ChannelSettings.To, parse.GetValue(to));
            Set(settings, ChannelSettings.Username, parse.GetValue(username));
            Set(settings, ChannelSettings.Program, parse.GetValue(program));
            if (parse.GetValue(args) is { Length: > 0 } arguments)
            {
                settings[ChannelSettings.Args] = JsonSerializer.Serialize(arguments, ChannelJsonContext.Default.StringArray);
            }

            if (parse.GetValue(allowPrivate))
            {
                settings[ChannelSettings.AllowPrivate] = "true";
            }

            Set(secrets, ChannelSettings.Password, PasswordOf(parse.GetValue(passwordFile), parse.GetValue(passwordEnv)));
            var fields = new Dictionary<string, string>(Fields, StringComparer.Ordinal);
            foreach (var header in parse.GetValue(headers) ?? [])
            {
                var (headerName, value) = Header(header);
                secrets[ChannelSettings.HeaderPrefix + headerName] = value;
                fields[$"secrets.{ChannelSettings.HeaderPrefix}{headerName}"] = $"--header '{headerName}'";
            }

            var channel = new AlertChannel(parse.GetValue(name)!, KindOf(parse.GetValue(kind)!))
            {
                Settings = settings,
                Secrets = secrets,
                Tags = parse.GetValue(tags) ?? [],
                ScriptNames = parse.GetValue(scripts) ?? [],
                RepeatEvery = parse.GetValue(repeat) is { } every ? DurationText.ParsePositive(every, "repeatEvery") : null,
            };
            return Add(context, channel, parse.GetValue(replace), parse.GetValue(addJson), fields);
        });

        var listJson = CommonOptions.Json();
        var list = new Command("list", "List every channel: its kind, where it goes, which scripts, whether it is broken; secrets by name only.") { listJson };
        list.SetAction(parse => List(context, parse.GetValue(listJson)));

        var removeName = new Argument<string>("NAME") { Description = "The channel's name." };
        var removeJson = CommonOptions.Json();
        var remove = new Command("remove", "Remove a channel; exit 1 when there is none of that name.") { removeName, removeJson };
        remove.SetAction(parse =>
        {
            var removed = CliContext.Await(context.Services.Channels.RemoveAsync(parse.GetValue(removeName)!));
            return Json.WriteChange(context, removed, ChannelJsonContext.Default.ChannelRemovedView, parse.GetValue(removeJson), removed.Removed,
                $"Removed the channel '{removed.Name}'.", $"scriptmon: no channel is named '{removed.Name}' (see 'scriptmon channel list').");
        });

        var testName = new Argument<string>("NAME") { Description = "The channel's name." };
        var testJson = CommonOptions.Json();
        var test = new Command("test", "Send a test notification now, directly, and say whether it was delivered; exit 2 when it was not, 1 when there is no such channel.") { testName, testJson };
        test.SetAction(parse => Test(context, parse.GetValue(testName)!, parse.GetValue(testJson)));

        return new Command(Name, "Where notifications go: add, list, remove, test channels (webhook, Slack, email, command).") { add, list, remove, test };
    }

    private static int Add(CliContext context, AlertChannel channel, bool replace, bool json, IReadOnlyDictionary<string, string> fields)
    {
        ChannelSavedView saved;
        try
        {
            saved = CliContext.Await(context.Services.Channels.SaveAsync(channel, replace));
        }
        catch (ValidationException e)
        {
            throw new UsageException(FieldNames.Describe(e, fields));
        }
        catch (InvalidOperationException)
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: NAME: a channel named '{channel.Name}' exists already; give --replace to replace it, or choose another name.");
            return ExitCodes.Usage;
        }

        if (json)
        {
            return Json.Write(context, saved, ChannelJsonContext.Default.ChannelSavedView);
        }

        context.Terminal.Out.WriteLine($"{(saved.Status == "replaced" ? "Replaced" : "Added")} the {saved.Channel.Kind} channel '{saved.Channel.Name}' ({Routing(saved.Channel)}). Try it: scriptmon channel test {saved.Channel.Name}");
        return ExitCodes.Ok;
    }

    private static int List(CliContext context, bool json)
    {
        var channels = CliContext.Await(context.Services.Channels.ListAsync());
        if (json)
        {
            return Json.Write(context, channels, ChannelJsonContext.Default.ChannelListView);
        }

        if (channels.Channels.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No channels in {channels.Store} (add one with 'scriptmon channel add NAME --kind webhook --url URL').");
            return ExitCodes.Ok;
        }

        var table = new Table("NAME", "KIND", "TARGET", "FOR", "REPEAT", "SECRETS", "BROKEN");
        foreach (var channel in channels.Channels)
        {
            var broken = channel.BrokenSince is not null;
            table.Add(
                (channel.Name, broken ? Tint.Warn : Tint.Bold),
                (channel.Kind, Tint.None),
                (Target(channel), Tint.None),
                (Routing(channel), Tint.None),
                (channel.RepeatEverySeconds is { } every ? DurationText.Format(TimeSpan.FromSeconds(every)) : "-", Tint.None),
                (channel.Secrets.Count == 0 ? "-" : string.Join(' ', channel.Secrets), Tint.Dim),
                (broken ? $"{channel.BrokenSince}: {channel.BrokenReason}" : "-", broken ? Tint.Warn : Tint.None));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static int Test(CliContext context, string name, bool json)
    {
        var result = CliContext.Await(context.Services.Channels.TestAsync(name));
        if (result is null)
        {
            context.Terminal.Error.WriteLine($"scriptmon: no channel is named '{name}' (see 'scriptmon channel list').");
            return ExitCodes.NotFound;
        }

        var status = result.Delivered ? ExitCodes.Ok : ExitCodes.Usage;
        if (json)
        {
            return Json.Write(context, result, ChannelJsonContext.Default.ChannelTestView, status);
        }

        if (result.Delivered)
        {
            context.Terminal.Out.WriteLine($"Delivered a test notification to '{name}' (event {result.EventId}).");
        }
        else
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: the test notification to '{name}' was not delivered: {CliContext.OneLine(result.Error ?? "no reason given")}");
        }

        return status;
    }

    private static string Target(ChannelView channel) => channel.Kind switch
    {
        "email" => $"{channel.Settings.GetValueOrDefault(ChannelSettings.To)} via {channel.Settings.GetValueOrDefault(ChannelSettings.Host)}",
        "command" => channel.Settings.GetValueOrDefault(ChannelSettings.Program) ?? "-",
        "webhook" => $"{channel.Settings.GetValueOrDefault(ChannelSettings.Method, "POST")} {channel.Settings.GetValueOrDefault(ChannelSettings.Url)}",
        _ => channel.Settings.GetValueOrDefault(ChannelSettings.Url) ?? "-",
    };

    private static string Routing(ChannelView channel)
    {
        if (channel.Tags.Count == 0 && channel.Scripts.Count == 0)
        {
            return "every script";
        }

        var parts = channel.Scripts.Select(s => s).Concat(channel.Tags.Select(t => "tag:" + t));
        return string.Join(' ', parts);
    }

    private static ChannelKind KindOf(string text) =>
        ChannelSettings.ParseKind(text) ?? throw new UsageException($"--kind must be webhook, slack, email or command (got '{text}').");

    private static string? BodyOf(string? body, string? file)
    {
        if (body is not null && file is not null)
        {
            throw new UsageException("--body and --body-file both give the body template; give one.");
        }

        return file is null ? body : ReadFile(file, "--body-file");
    }

    private static string? PasswordOf(string? file, string? variable)
    {
        if (file is not null && variable is not null)
        {
            throw new UsageException("--password-file and --password-env both give the password; give one.");
        }

        if (variable is not null)
        {
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? value
                : throw new UsageException($"--password-env: the environment variable {variable} is not set or empty.");
        }

        // A password file ends with the newline editors add; the password itself has none.
        return file is null ? null : ReadFile(file, "--password-file").TrimEnd('\r', '\n');
    }

    private static string ReadFile(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: {path} cannot be read: {e.Message}");
        }
    }

    private static (string Name, string Value) Header(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0
            ? throw new UsageException($"--header must be 'Name: value' (got '{text}').")
            : (text[..colon].Trim(), text[(colon + 1)..].Trim());
    }

    private static void Set(Dictionary<string, string> values, string name, string? value)
    {
        if (value is not null)
        {
            values[name] = value;
        }
    }

    private static Option<string[]> Many(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
