using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Alerts;

/// <summary>Every field of a maintenance window is checked, every broken rule named by path and key, nothing else.</summary>
public sealed class MaintenanceWindowValidationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 22, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static MaintenanceWindow Nightly => new("nightly") { ScriptName = "backup", Cron = "0 2 * * *", Duration = Hour, TimeZone = "Europe/Berlin" };

    private static MaintenanceWindow Once => new("once") { Tag = "ops", StartsAt = Start, Duration = Hour };

    public static TheoryData<MaintenanceWindow, string, string> BrokenFields => new()
    {
        { Nightly with { Name = "" }, "window.Name", FieldRules.Length },
        { Nightly with { ScriptName = null }, "window.ScriptName", FieldRules.OneOf },
        { Nightly with { Tag = "ops" }, "window.ScriptName", FieldRules.OneOf },
        { Nightly with { ScriptName = "back\nup" }, "window.ScriptName", FieldRules.ControlCharacters },
        { Once with { Tag = " ops" }, "window.Tag", FieldRules.SurroundingWhiteSpace },
        { Nightly with { Cron = "0 2 * *" }, "window.Cron", FieldRules.CronExpression },
        { Nightly with { TimeZone = "Mars/Olympus_Mons" }, "window.TimeZone", FieldRules.TimeZone },
        { Once with { TimeZone = "Mars/Olympus_Mons" }, "window.TimeZone", FieldRules.TimeZone },
        { Nightly with { StartsAt = Start }, "window.StartsAt", FieldRules.OneOf },
        { Once with { StartsAt = null }, "window.StartsAt", FieldRules.Required },
        { Once with { StartsAt = DateTimeOffset.UnixEpoch.AddDays(-1) }, "window.StartsAt", FieldRules.NotBefore1970 },
        { Nightly with { Duration = null }, "window.Duration", FieldRules.Required },
        { Once with { Every = TimeSpan.FromDays(1), Duration = null }, "window.Duration", FieldRules.Required },
        { Once with { Duration = TimeSpan.Zero }, "window.Duration", FieldRules.Range },
        { Once with { Duration = TimeSpan.FromMinutes(-5) }, "window.Duration", FieldRules.Range },
        { Once with { Every = TimeSpan.FromSeconds(30), Duration = TimeSpan.FromSeconds(10) }, "window.Every", FieldRules.Range },
        { Once with { Every = Hour }, "window.Duration", FieldRules.Range },
        { Once with { Every = Hour, Duration = TimeSpan.FromHours(2) }, "window.Duration", FieldRules.Range },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public void A_broken_field_is_named_by_its_path_and_its_rule(MaintenanceWindow window, string path, string rule)
    {
        var error = Assert.Throws<ValidationException>(() => MaintenanceWindowValidation.Validate(window));

        var field = Assert.Single(error.Errors);
        Assert.Equal((path, rule), (field.Path, field.Rule));
        Assert.StartsWith(path + " ", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interval_with_a_cron_expression_is_refused_naming_both()
    {
        var error = Assert.Throws<ValidationException>(() => MaintenanceWindowValidation.Validate(Nightly with { Every = TimeSpan.FromDays(1) }));

        var field = Assert.Single(error.Errors);
        Assert.Equal(("window.Every", FieldRules.OneOf, "window.Cron"), (field.Path, field.Rule, field.OtherPath));
        Assert.Equal("--every must not be given with --cron: a window opens at each instant its cron expression names, or every interval from its start.", field.Describe(p => p switch
        {
            "window.Every" => "--every",
            "window.Cron" => "--cron",
            _ => p,
        }));
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var window = new MaintenanceWindow("bad\tname") { Cron = "nope", Duration = TimeSpan.Zero };

        var error = Assert.Throws<ValidationException>(() => MaintenanceWindowValidation.Validate(window));

        Assert.Equal(["window.Name", "window.ScriptName", "window.Cron", "window.Duration"], error.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("interval")]
    [InlineData("cron")]
    [InlineData("once")]
    [InlineData("pause")]
    public void A_valid_window_comes_back_normalized(string kind)
    {
        var window = kind switch
        {
            "interval" => Once with { Every = TimeSpan.FromDays(1), StartsAt = new DateTimeOffset(2026, 3, 2, 23, 0, 0, 0, 1, TimeSpan.FromHours(1)) },
            "cron" => Nightly with { Cron = "  @daily " , TimeZone = " Europe/Berlin" },
            "once" => Once,
            _ => Once with { Duration = null },
        };

        var valid = MaintenanceWindowValidation.Validate(window);

        Assert.Equal(TimeSpan.Zero, valid.StartsAt?.Offset ?? TimeSpan.Zero);
        Assert.Equal(0, (valid.StartsAt?.UtcTicks ?? 0) % TimeSpan.TicksPerMicrosecond);
        Assert.Equal(window.StartsAt, valid.StartsAt);
        Assert.Equal(window.TimeZone.Trim(), valid.TimeZone);
        Assert.Equal(window.Cron?.Trim(), valid.Cron);
        Assert.Equal(kind == "pause", valid.IsPause);
    }
}
