using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Application.Alerts;

public sealed class ChannelValidationTests
{
    public static TheoryData<ChannelKind, string[], string[], string, string> BadChannels => new()
    {
        { ChannelKind.Webhook, [], [], "settings.url", FieldRules.Required },
        { ChannelKind.Webhook, ["url=ftp://x.test/"], [], "settings.url", "url" },
        { ChannelKind.Webhook, ["url=not a url"], [], "settings.url", "url" },
        { ChannelKind.Webhook, ["url=https://user:pw@x.test/"], [], "settings.url", "url" },
        { ChannelKind.Webhook, ["url=https://x.test/$NAMES"], [], "settings.url", "placeholder" },
        { ChannelKind.Webhook, ["url=https://x.test/", "body={\"a\": $WHAT}"], [], "settings.body", "placeholder" },
        { ChannelKind.Webhook, ["url=https://x.test/", "method=FETCH"], [], "settings.method", "one-of" },
        { ChannelKind.Webhook, ["url=https://x.test/", "method=GET", "body=x"], [], "settings.body", "not-for-method" },
        { ChannelKind.Webhook, ["url=https://x.test/", "allow_private=yes"], [], "settings.allow_private", "one-of" },
        { ChannelKind.Webhook, ["url=https://x.test/", "colour=red"], [], "settings.colour", "unknown-setting" },
        { ChannelKind.Webhook, ["url=https://x.test/"], ["header:Bad Name=x"], "secrets.header:Bad Name", "header-name" },
        { ChannelKind.Webhook, ["url=https://x.test/"], ["header:X-Token=$SECRET"], "secrets.header:X-Token", "placeholder" },
        { ChannelKind.Webhook, ["url=https://x.test/"], ["password=x"], "secrets.password", "unknown-setting" },
        { ChannelKind.Slack, ["url=hooks.slack.com/x"], [], "settings.url", "url" },
        { ChannelKind.Slack, ["url=https://hooks.slack.test/x", "body=x"], [], "settings.body", "unknown-setting" },
        { ChannelKind.Email, ["from=a@x.test", "to=b@x.test"], [], "settings.host", FieldRules.Required },
        { ChannelKind.Email, ["host=smtp.x.test", "from=a@x.test", "to=b@x.test", "tls=ssl"], [], "settings.tls", "one-of" },
        { ChannelKind.Email, ["host=smtp.x.test", "from=a@x.test", "to=b@x.test", "port=70000"], [], "settings.port", FieldRules.Range },
        { ChannelKind.Email, ["host=smtp.x.test", "from=nobody", "to=b@x.test"], [], "settings.from", "email-address" },
        { ChannelKind.Email, ["host=smtp.x.test", "from=a@x.test", "to=b@x.test, oops"], [], "settings.to", "email-address" },
        { ChannelKind.Email, ["host=smtp.x.test", "from=a@x.test", "to=b@x.test", "username=u"], [], "secrets.password", FieldRules.Required },
        { ChannelKind.Email, ["host=smtp.x.test", "from=a@x.test", "to=b@x.test"], ["password=p"], "secrets.password", "only-with-username" },
        { ChannelKind.Command, [], [], "settings.program", FieldRules.Required },
        { ChannelKind.Command, ["program=/bin/notify", "args=-x"], [], "settings.args", "json" },
    };

    [Theory]
    [MemberData(nameof(BadChannels))]
    public void A_broken_rule_names_the_field_and_the_rule(ChannelKind kind, string[] settings, string[] secrets, string path, string rule)
    {
        var channel = new AlertChannel("alerts", kind) { Settings = Pairs(settings), Secrets = Pairs(secrets) };

        var refusal = Assert.Throws<ValidationException>(() => ChannelValidation.Validate(channel));

        var error = Assert.Single(refusal.Errors, e => e.Path == path);
        Assert.Equal(rule, error.Rule);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_broken_rule_is_named_at_once_with_names_and_routing()
    {
        var channel = new AlertChannel("bad\nname", ChannelKind.Email) { Tags = ["ok", ""], RepeatEvery = TimeSpan.FromSeconds(5) };

        var refusal = Assert.Throws<ValidationException>(() => ChannelValidation.Validate(channel));

        Assert.Equal(["name", "tags[1]", "repeatEvery", "settings.host", "settings.from", "settings.to"], refusal.Errors.Select(e => e.Path));
    }

    [Fact]
    public void An_unknown_placeholder_is_named_in_the_message()
    {
        var channel = new AlertChannel("hook", ChannelKind.Webhook) { Settings = Pairs(["url=https://x.test/", "body=$NAME is $SATUS"]) };

        var refusal = Assert.Throws<ValidationException>(() => ChannelValidation.Validate(channel));

        Assert.Contains("$SATUS", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_channel_comes_back_normalized()
    {
        var email = new AlertChannel("mail", ChannelKind.Email)
        {
            Settings = Pairs(["host=smtp.x.test", "from=ScriptMonitor <a@x.test>", "to= b@x.test ,c@x.test,", "tls=STARTTLS", "username=u"]),
            Secrets = Pairs(["password=p"]),
        };
        var hook = new AlertChannel("hook", ChannelKind.Webhook) { Settings = Pairs(["url=https://x.test/$NAME", "method=put", "body={\"n\": $NAME_JSON}"]), Secrets = Pairs(["header:Authorization=Bearer t"]) };

        var mail = ChannelValidation.Validate(email);
        var webhook = ChannelValidation.Validate(hook);

        Assert.Equal("b@x.test,c@x.test", mail.Settings["to"]);
        Assert.Equal("starttls", mail.Settings["tls"]);
        Assert.Equal("PUT", webhook.Settings["method"]);
    }

    private static Dictionary<string, string> Pairs(string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
