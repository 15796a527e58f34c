using ScriptMonitor.Application.Alerts;

namespace ScriptMonitor.Tests.Application.Alerts;

public sealed class AlertTemplateTests
{
    [Fact]
    public void Healthchecks_placeholders_are_replaced_as_Healthchecks_does()
    {
        var late = AlertEvents.Late();

        var body = AlertTemplate.Render("$NAME $STATUS $NOW [$TAGS] $TAG1/$TAG2/$TAG3 $EXITSTATUS $CODE $SLUG", late, AlertTemplate.Target.Body);

        Assert.Equal("nightly-backup down 2026-12-07T02:35:00+00:00 [db nightly] db/nightly/ 3 nightly-backup nightly-backup", body);
    }

    [Fact]
    public void The_json_placeholders_are_json_strings_so_a_json_body_stays_json()
    {
        var late = AlertEvents.Late();

        var body = AlertTemplate.Render("{\"name\": $NAME_JSON, \"output\": $BODY_JSON, \"reason\": $REASON_JSON, \"event\": $JSON}", late, AlertTemplate.Target.Body);

        using var document = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("copying…\nerror: \"disk\" full", document.RootElement.GetProperty("output").GetString());
        Assert.Equal(late.Summary, document.RootElement.GetProperty("reason").GetString());
        Assert.Equal(late.EventId, document.RootElement.GetProperty("event").GetProperty("eventId").GetGuid());
    }

    [Fact]
    public void ScriptMonitors_own_placeholders_carry_the_reason_and_the_last_run()
    {
        var late = AlertEvents.Late();

        var body = AlertTemplate.Render("$EVENT_ID|$KIND|$STATE|$PREVIOUS_STATE|$HOST|$DUE|$LAST_SUCCESS|$DURATION|$DOWN_FOR|$RUN_ID|$TIME_ZONE|$LINK", late, AlertTemplate.Target.Body);

        Assert.Equal(
            $"{late.EventId:D}|down|Late|Up|db1|2026-12-07T02:30:00+00:00|2026-12-06T01:35:00+00:00|42.5||01890a5d-ac96-774b-bcce-b302099a8057|Europe/Berlin|https://monitor.example/scripts/nightly-backup",
            body);
        Assert.Equal("3600", AlertTemplate.Render("$DOWN_FOR", AlertEvents.Late() with { DownFor = TimeSpan.FromHours(1) }, AlertTemplate.Target.Body));
    }

    [Fact]
    public void In_a_url_values_are_percent_encoded_but_status_is_not()
    {
        var late = AlertEvents.Late() with { ScriptName = "a b/c" };

        Assert.Equal("https://x.test/a%20b%2Fc/down?r=db1", AlertTemplate.Render("https://x.test/$NAME/$STATUS?r=$HOST", late, AlertTemplate.Target.Url));
    }

    [Fact]
    public void In_a_header_characters_beyond_latin1_become_character_references()
    {
        var late = AlertEvents.Late() with { ScriptName = "sauvegarde-été-✓" };

        Assert.Equal("x sauvegarde-été-&#10003;", AlertTemplate.Render("x $NAME", late, AlertTemplate.Target.Header));
    }

    [Theory]
    [InlineData("$NAME $FOO", "$FOO")]
    [InlineData("$STATUS_TEXT", "$STATUS_TEXT")]
    [InlineData("$TAG0 $TAG12", "$TAG0")]
    [InlineData("$NAME $$HOME $5 $lower costs $", "")]
    public void Unknown_placeholders_are_found_and_a_literal_dollar_is_not_one(string template, string unknown)
    {
        Assert.Equal(unknown, string.Join(",", AlertTemplate.Unknown(template)));
    }

    [Fact]
    public void Two_dollars_are_one()
    {
        Assert.Equal("$HOME is nightly-backup's", AlertTemplate.Render("$$HOME is $NAME's", AlertEvents.Late(), AlertTemplate.Target.Body));
    }
}
