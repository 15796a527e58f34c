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
}
