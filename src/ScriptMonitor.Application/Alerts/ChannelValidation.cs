using System.Globalization;
using System.Text.Json;
using MimeKit;
using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The rules of a channel, by kind: which settings and secrets it takes, what each must look like, and that its
/// templates name only known placeholders. Every broken rule is reported at once, each naming its field
/// (<c>settings.url</c>, <c>secrets.password</c>, <c>tags[1]</c>) and its rule; nothing is saved while one is broken.
/// </summary>
public static class ChannelValidation
{
    /// <summary>A setting or secret that the channel's kind does not take.</summary>
    public const string UnknownSettingRule = "unknown-setting";

    /// <summary>A URL must be an absolute http or https URL.</summary>
    public const string UrlRule = "url";

    /// <summary>A value must be one of a short list (a method, a TLS mode).</summary>
    public const string OneOfRule = "one-of";

    /// <summary>A template names a placeholder ScriptMonitor does not know.</summary>
    public const string PlaceholderRule = "placeholder";

    /// <summary>An email address must be one.</summary>
    public const string EmailAddressRule = "email-address";

    /// <summary>A header's name must be an HTTP token.</summary>
    public const string HeaderNameRule = "header-name";

    /// <summary>The shortest repeat: more often would be noise.</summary>
    public static readonly TimeSpan MinimumRepeat = TimeSpan.FromMinutes(1);

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] TlsModes = ["starttls", "tls", "none"];
    private static readonly string[] Booleans = ["true", "false"];

    /// <summary>Checks a channel and returns it normalized (a method in upper case, a TLS mode in lower case).</summary>
    /// <param name="channel">The channel as given.</param>
    /// <exception cref="ValidationException">A rule is broken; every broken rule is named.</exception>
    public static AlertChannel Validate(AlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var errors = new List<FieldError>();
        Try(errors, () => RunValidation.ScriptName(channel.Name, "name"));
        if (!Enum.IsDefined(channel.Kind))
        {
            errors.Add(new FieldError("kind", OneOfRule, "kind must be webhook, slack, email or command."));
            throw new ValidationException(errors);
        }

        for (var i = 0; i < channel.Tags.Count; i++)
        {
            var index = i;
            Try(errors, () => RunValidation.ScriptName(channel.Tags[index], $"tags[{index}]"));
        }

        for (var i = 0; i < channel.ScriptNames.Count; i++)
        {
            var index = i;
            Try(errors, () => RunValidation.ScriptName(channel.ScriptNames[index], $"scripts[{index}]"));
        }

        if (channel.RepeatEvery is { } repeat && (repeat < MinimumRepeat || repeat > Health.DurationText.Maximum))
        {
            errors.Add(new FieldError("repeatEvery", FieldRules.Range, $"repeatEvery must be at least {Health.DurationText.Format(MinimumRepeat)} (got {Health.DurationText.Format(repeat)})."));
        }

        var kindName = ChannelSettings.NameOf(channel.Kind);
        var allowed = ChannelSettings.SettingsOf(channel.Kind);
        foreach (var name in channel.Settings.Keys.Where(k => !allowed.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            errors.Add(new FieldError($"settings.{name}", UnknownSettingRule, $"settings.{name} is not a setting of a {kindName} channel; it takes {string.Join(", ", allowed)}."));
        }

        foreach (var name in channel.Secrets.Keys.Where(k => !IsSecretOf(channel.Kind, k)).Order(StringComparer.Ordinal))
        {
            var secrets = ChannelSettings.SecretsOf(channel.Kind);
            errors.Add(new FieldError($"secrets.{name}", UnknownSettingRule,
                secrets.Count == 0 ? $"secrets.{name} is not a secret of a {kindName} channel; it takes none." : $"secrets.{name} is not a secret of a {kindName} channel; it takes {string.Join(", ", secrets)}."));
        }

        var settings = new Dictionary<string, string>(channel.Settings, StringComparer.Ordinal);
        switch (channel.Kind)
        {
            case ChannelKind.Webhook:
                Webhook(settings, channel.Secrets, errors);
                break;
            case ChannelKind.Slack:
                Url(settings, errors, template: false);
                Boolean(settings, ChannelSettings.AllowPrivate, errors);
                break;
            case ChannelKind.Email:
                Email(settings, channel.Secrets, errors);
                break;
            case ChannelKind.Command:
                Command(settings, errors);
                break;
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        return channel with { Settings = settings };
    }

    private static bool IsSecretOf(ChannelKind kind, string name) => kind switch
    {
        ChannelKind.Webhook => name.StartsWith(ChannelSettings.HeaderPrefix, StringComparison.Ordinal),
        ChannelKind.Email => name == ChannelSettings.Password,
        _ => false,
    };

    private static void Webhook(Dictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, List<FieldError> errors)
    {
        Url(settings, errors, template: true);
        Boolean(settings, ChannelSettings.AllowPrivate, errors);
        var method = OneOf(settings, ChannelSettings.Method, Methods, errors, upper: true) ?? "POST";
        if (settings.TryGetValue(ChannelSettings.Body, out var body))
        {
            if (method is "GET" or "DELETE")
            {
                errors.Add(new FieldError("settings.body", "not-for-method", $"settings.body is sent only with POST, PUT or PATCH; the method is {method}."));
            }

            Placeholders("settings.body", body, errors);
        }

        foreach (var (name, value) in secrets.Where(s => s.Key.StartsWith(ChannelSettings.HeaderPrefix, StringComparison.Ordinal)))
        {
            var header = name[ChannelSettings.HeaderPrefix.Length..];
            if (header.Length == 0 || !header.All(IsTokenCharacter))
            {
                errors.Add(new FieldError($"secrets.{name}", HeaderNameRule, $"secrets.{name} names no HTTP header: a header's name is letters, digits and !#$%&'*+-.^_`|~ (got '{header}')."));
            }
            else if (header.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase) || header.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || header.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new FieldError($"secrets.{name}", HeaderNameRule, $"secrets.{name}: the {header} header is set by ScriptMonitor itself."));
            }

            if (value.Contains('\n') || value.Contains('\r'))
            {
                errors.Add(new FieldError($"secrets.{name}", FieldRules.ControlCharacters, $"secrets.{name} must be one line."));
            }

            Placeholders($"secrets.{name}", value, errors);
        }
    }

    private static void Url(Dictionary<string, string> settings, List<FieldError> errors, bool template)
    {
        if (!settings.TryGetValue(ChannelSettings.Url, out var url) || string.IsNullOrWhiteSpace(url))
        {
            errors.Add(new FieldError("settings.url", FieldRules.Required, "settings.url is required: the http or https URL to send to."));
            return;
        }

        // A template's placeholders stand for values that are escaped when they are put in, so the URL is judged
        // with a plain word in their place.
        var probe = template ? string.Concat(url.Split('$').Select((part, i) => i == 0 ? part : "x" + part)) : url;
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || string.IsNullOrEmpty(parsed.Host))
        {
            errors.Add(new FieldError("settings.url", UrlRule, $"settings.url must be an absolute http or https URL (got '{url}')."));
        }
        else if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            errors.Add(new FieldError("settings.url", UrlRule, "settings.url must not hold a user name or password: put credentials in a header (a secret)."));
        }

        if (template)
        {
            Placeholders("settings.url", url, errors);
        }
    }

    private static void Email(Dictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, List<FieldError> errors)
    {
        if (!settings.TryGetValue(ChannelSettings.Host, out var host) || string.IsNullOrWhiteSpace(host))
        {
            errors.Add(new FieldError("settings.host", FieldRules.Required, "settings.host is required: the SMTP server's host name or address."));
        }
        else if (Uri.CheckHostName(host.Trim()) == UriHostNameType.Unknown)
        {
            errors.Add(new FieldError("settings.host", UrlRule, $"settings.host must be a host name or an IP address (got '{host}')."));
        }

        var tls = OneOf(settings, ChannelSettings.Tls, TlsModes, errors, upper: false);
        if (settings.TryGetValue(ChannelSettings.Port, out var port)
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
        {
            errors.Add(new FieldError("settings.port", FieldRules.Range, $"settings.port must be a port number, 1 to 65535 (got '{port}')."));
        }

        if (!settings.TryGetValue(ChannelSettings.From, out var from) || string.IsNullOrWhiteSpace(from))
        {
            errors.Add(new FieldError("settings.from", FieldRules.Required, "settings.from is required: the sender's address."));
        }
        else if (!IsAddress(from))
        {
            errors.Add(new FieldError("settings.from", EmailAddressRule, $"settings.from must be an email address (got '{from}')."));
        }

        if (!settings.TryGetValue(ChannelSettings.To, out var to) || string.IsNullOrWhiteSpace(to))
        {
            errors.Add(new FieldError("settings.to", FieldRules.Required, "settings.to is required: the recipients' addresses, separated by commas."));
        }
        else
        {
            var addresses = Recipients(to);
            var bad = addresses.Where(a => !IsAddress(a)).ToList();
            if (addresses.Count == 0 || bad.Count > 0)
            {
                errors.Add(new FieldError("settings.to", EmailAddressRule, $"settings.to must be email addresses separated by commas (not one: '{string.Join("', '", bad)}')."));
            }
            else
            {
                settings[ChannelSettings.To] = string.Join(",", addresses);
            }
        }

        var hasUser = settings.TryGetValue(ChannelSettings.Username, out var user) && !string.IsNullOrEmpty(user);
        var hasPassword = secrets.TryGetValue(ChannelSettings.Password, out var password) && !string.IsNullOrEmpty(password);
        if (hasUser && !hasPassword)
        {
            errors.Add(new FieldError("secrets.password", FieldRules.Required, "secrets.password is required with settings.username: the SMTP password.") { OtherPath = "settings.username" });
        }
        else if (hasPassword && !hasUser)
        {
            errors.Add(new FieldError("secrets.password", "only-with-username", "secrets.password is sent only with settings.username; give the user name too.") { OtherPath = "settings.username" });
        }

        _ = tls;
    }

    private static void Command(Dictionary<string, string> settings, List<FieldError> errors)
    {
        if (!settings.TryGetValue(ChannelSettings.Program, out var program) || string.IsNullOrWhiteSpace(program))
        {
            errors.Add(new FieldError("settings.program", FieldRules.Required, "settings.program is required: the program to run."));
        }
        else if (program.Any(char.IsControl))
        {
            errors.Add(new FieldError("settings.program", FieldRules.ControlCharacters, "settings.program must not contain control characters."));
        }

        if (settings.TryGetValue(ChannelSettings.Args, out var args) && Arguments(args) is null)
        {
            errors.Add(new FieldError("settings.args", "json", $"settings.args must be a JSON array of strings (got '{args}')."));
        }
    }

    /// <summary>A command channel's arguments from their JSON; null when the text is no array of strings.</summary>
    internal static IReadOnlyList<string>? Arguments(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            var values = JsonSerializer.Deserialize(json, ChannelJsonContext.Default.ListString);
            return values is null || values.Any(v => v is null) ? null : values;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The addresses of a comma-separated list, trimmed, empty entries dropped.</summary>
    internal static IReadOnlyList<string> Recipients(string list) =>
        [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static bool IsAddress(string text) =>
        MailboxAddress.TryParse(text.Trim(), out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal) && !mailbox.Address.EndsWith('@');

    private static string? OneOf(Dictionary<string, string> settings, string name, string[] values, List<FieldError> errors, bool upper)
    {
        if (!settings.TryGetValue(name, out var value))
        {
            return null;
        }

        var normal = upper ? value.Trim().ToUpperInvariant() : value.Trim().ToLowerInvariant();
        if (!values.Contains(normal, StringComparer.Ordinal))
        {
            errors.Add(new FieldError($"settings.{name}", OneOfRule, $"settings.{name} must be {Words(values)} (got '{value}')."));
            return null;
        }

        settings[name] = normal;
        return normal;
    }

    private static void Boolean(Dictionary<string, string> settings, string name, List<FieldError> errors) =>
        OneOf(settings, name, Booleans, errors, upper: false);

    private static void Placeholders(string path, string template, List<FieldError> errors)
    {
        var unknown = AlertTemplate.Unknown(template);
        if (unknown.Count > 0)
        {
            errors.Add(new FieldError(path, PlaceholderRule,
                $"{path} names {(unknown.Count == 1 ? "a placeholder" : "placeholders")} ScriptMonitor does not know: {string.Join(", ", unknown)} (see the list in docs/alerts.md; write $$ for a literal $ before a capital)."));
        }
    }

    private static string Words(string[] values) => values.Length == 1 ? values[0] : $"{string.Join(", ", values[..^1])} or {values[^1]}";

    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static void Try(List<FieldError> errors, Action check)
    {
        try
        {
            check();
        }
        catch (ValidationException e)
        {
            errors.AddRange(e.Errors);
        }
    }
}
