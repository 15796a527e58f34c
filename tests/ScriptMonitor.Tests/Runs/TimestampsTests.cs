using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Runs;

public sealed class TimestampsTests
{
    [Theory]
    [InlineData("2007-02-01T10:00:00+00:00", "2007-02-01 10:00:00+00:00")]
    [InlineData("2007-02-01T12:00:00+02:00", "2007-02-01 10:00:00+00:00")]
    [InlineData("2007-02-01T04:29:59.5-05:30", "2007-02-01 09:59:59.500000+00:00")]
    [InlineData("2026-03-29T01:00:00.000001+00:00", "2026-03-29 01:00:00.000001+00:00")]
    public void Format_prints_UTC_as_the_spec_does(string instant, string printed)
    {
        Assert.Equal(printed, Timestamps.Format(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void FormatIso_prints_ISO_8601_with_offset_and_microseconds()
    {
        Assert.Equal("2007-02-01T10:00:00.000000+00:00", Timestamps.FormatIso(new DateTimeOffset(2007, 2, 1, 12, 0, 0, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+00:00")]
    [InlineData("0999-12-31T23:59:59.9999999+00:00")]
    [InlineData("1970-01-01T00:00:00.0000001+00:00")]
    [InlineData("2024-02-29T23:59:59.999999+00:00")]
    [InlineData("2026-10-25T01:30:00.1234567-09:30")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00")]
    public void Both_printers_agree_with_the_invariant_format_strings_at_the_edges(string instant)
    {
        var value = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        AssertPrintedAsFormatStringsWould(value);
    }

    [Fact]
    public void Both_printers_agree_with_the_invariant_format_strings_on_random_instants()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 10_000; i++)
        {
            var ticks = random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks);
            // Whole seconds too, which print without a fraction.
            var value = new DateTimeOffset(i % 3 == 0 ? ticks - (ticks % TimeSpan.TicksPerSecond) : ticks, TimeSpan.Zero);
            AssertPrintedAsFormatStringsWould(value);
        }
    }

    [Fact]
    public void Normalize_converts_to_UTC_and_drops_what_is_finer_than_a_microsecond()
    {
        var value = new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)).AddTicks(19);

        var normalized = Timestamps.Normalize(value);

        Assert.Equal(TimeSpan.Zero, normalized.Offset);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10), normalized);
    }

    [Fact]
    public void Unix_microseconds_round_trip()
    {
        var value = new DateTimeOffset(2038, 1, 19, 3, 14, 8, TimeSpan.Zero) + TimeSpan.FromMicroseconds(999_999);

        Assert.Equal(value, Timestamps.FromUnixMicroseconds(Timestamps.ToUnixMicroseconds(value)));
    }

    private static void AssertPrintedAsFormatStringsWould(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var spec = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff";
        Assert.Equal(utc.ToString(spec, invariant) + "+00:00", Timestamps.Format(value));
        Assert.Equal(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", invariant), Timestamps.FormatIso(value));
    }
}
