using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Health;

/// <summary>Every field of an expectation is checked, every broken rule is named by path and key, all at once.</summary>
public sealed class ExpectationValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static ScriptExpectation Job => new("job");

    public static TheoryData<ScriptExpectation, string, string> BrokenFields => new()
    {
        { new ScriptExpectation(" job"), "expectation.ScriptName", FieldRules.SurroundingWhiteSpace },
        { Job with { Schedule = CronSchedule.Restore("0 0 30 2 *", "UTC") }, "expectation.Schedule.Expression", FieldRules.CronExpression },
        { Job with { Schedule = CronSchedule.Restore("*/5 * * * * *", "UTC") }, "expectation.Schedule.Expression", FieldRules.CronExpression },
        { Job with { Schedule = CronSchedule.Restore("0 2 * * *", "Mars/Olympus_Mons") }, "expectation.Schedule.TimeZone", FieldRules.TimeZone },
        { Job with { Grace = TimeSpan.FromDays(367) }, "expectation.Grace", FieldRules.Range },
        { Job with { MinRuntime = TimeSpan.FromSeconds(-1) }, "expectation.MinRuntime", FieldRules.Range },
        { Job with { MaxRuntime = TimeSpan.FromDays(32) }, "expectation.MaxRuntime", FieldRules.Range },
        { Job with { MinRuntime = TimeSpan.FromHours(2), MaxRuntime = TimeSpan.FromHours(1) }, "expectation.MinRuntime", FieldRules.NotAboveMaxRuntime },
        { Job with { AbandonAfter = TimeSpan.FromSeconds(59) }, "expectation.AbandonAfter", FieldRules.Range },
        { Job with { MaxRuntime = TimeSpan.FromHours(2), AbandonAfter = TimeSpan.FromHours(1) }, "expectation.AbandonAfter", FieldRules.NotBelowMaxRuntime },
        { Job with { SkipsBeforeAlert = 25 }, "expectation.SkipsBeforeAlert", FieldRules.Range },
        { Job with { FailuresTolerated = 101 }, "expectation.FailuresTolerated", FieldRules.Range },
        { Job with { FailuresTolerated = -1 }, "expectation.FailuresTolerated", FieldRules.Range },
        { Job with { Hosts = null! }, "expectation.Hosts", FieldRules.Required },
        { Job with { Hosts = HostRequirement.Each() }, "expectation.Hosts", FieldRules.Count },
        { Job with { Hosts = HostRequirement.Each("db1", "db2", "db1") }, "expectation.Hosts", FieldRules.Duplicate },
        { Job with { Hosts = HostRequirement.Each("db1", "db2", "db3\n") }, "expectation.Hosts[2]", FieldRules.ControlCharacters },
        { Job with { Hosts = HostRequirement.AtLeast(3, "db1", "db2") }, "expectation.Hosts.MinimumCount", FieldRules.Range },
        { Job with { PausedUntil = Now }, "expectation.PausedUntil", FieldRules.OnlyWhenPaused },
        { Job with { Paused = true, PausedUntil = DateTimeOffset.UnixEpoch.AddDays(-1) }, "expectation.PausedUntil", FieldRules.NotBefore1970 },
        { Job with { Tags = null! }, "expectation.Tags", FieldRules.Required },
        { Job with { Tags = [.. Enumerable.Range(0, 33).Select(i => $"t{i:D2}")] }, "expectation.Tags", FieldRules.Count },
        { Job with { Tags = ["ops", "db", "ops"] }, "expectation.Tags", FieldRules.Duplicate },
        { Job with { Tags = ["a", "b", "zero\u200Bwidth"] }, "expectation.Tags[2]", FieldRules.FormatCharacters },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public void A_broken_field_is_named_by_its_path_and_its_rule(ScriptExpectation expectation, string path, string rule)
    {
        var error = Assert.Throws<ValidationException>(() => ExpectationValidation.Validate(expectation));

        var field = Assert.Single(error.Errors);
        Assert.Equal((path, rule), (field.Path, field.Rule));
        Assert.StartsWith(path + " ", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_broken_field_is_reported_at_once()
    {
        var expectation = new ScriptExpectation("job")
        {
            Schedule = CronSchedule.Restore("0 2 * * *", "Nowhere/City"),
            Grace = TimeSpan.FromMinutes(-1),
            MaxRuntime = TimeSpan.Zero,
            FailuresTolerated = 500,
            Hosts = HostRequirement.AtLeast(4, "db1", " db2"),
            Tags = ["ops", "ops"],
        };

        var error = Assert.Throws<ValidationException>(() => ExpectationValidation.Validate(expectation));

        Assert.Equal(
            [
                ("expectation.Schedule.TimeZone", FieldRules.TimeZone),
                ("expectation.Grace", FieldRules.Range),
                ("expectation.MaxRuntime", FieldRules.Range),
                ("expectation.Hosts[0]", FieldRules.SurroundingWhiteSpace),
                ("expectation.Hosts.MinimumCount", FieldRules.Range),
                ("expectation.FailuresTolerated", FieldRules.Range),
                ("expectation.Tags", FieldRules.Duplicate),
            ],
            error.Errors.Select(e => (e.Path, e.Rule)));
        Assert.Equal("expectation.Schedule.TimeZone", error.ParamName);
    }

    [Fact]
    public void A_cron_schedule_error_names_the_expectation_s_field_in_its_sentence()
    {
        var error = Assert.Throws<ValidationException>(() => ExpectationValidation.Validate(Job with { Schedule = CronSchedule.Restore("0 0 30 2 *", "UTC") }));

        Assert.StartsWith("expectation.Schedule.Expression '0 0 30 2 *' never fires: ", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_between_two_fields_names_both_so_a_front_end_can_call_them_its_way()
    {
        var options = new Dictionary<string, string> { ["expectation.MinRuntime"] = "--min-runtime", ["expectation.MaxRuntime"] = "--max-runtime", ["expectation.PausedUntil"] = "--until", ["expectation.Paused"] = "--pause" };

        var runtimes = Assert.Throws<ValidationException>(() => ExpectationValidation.Validate(Job with { MinRuntime = TimeSpan.FromHours(2), MaxRuntime = TimeSpan.FromHours(1) }));
        var pause = Assert.Throws<ValidationException>(() => ExpectationValidation.Validate(Job with { PausedUntil = Now }));

        Assert.Equal("--min-runtime (2h) must not be more than --max-runtime (1h).", runtimes.Errors[0].Describe(p => options[p]));
        Assert.Equal("--until may only be given when --pause is true.", pause.Errors[0].Describe(p => options[p]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(ExpectationValidation.MaxFailuresTolerated)]
    public void Up_to_a_hundred_failures_may_be_tolerated(int tolerated)
    {
        Assert.Equal(tolerated, ExpectationValidation.Validate(Job with { FailuresTolerated = tolerated }).FailuresTolerated);
        Assert.True(ExpectationValidation.MaxFailuresTolerated >= 100);
    }
}
