using System.Globalization;
using ScriptMonitor.Health;
using ScriptMonitor.Health.Cron;

namespace ScriptMonitor.Tests.Health.Cron;

/// <summary>Checks a schedule against a table of occurrences written out by hand, forwards with Next and backwards with Previous.</summary>
internal static class Occurrences
{
    private const string Format = "yyyy-MM-dd HH:mm";

    /// <summary>An instant written as <c>2026-03-29 01:00</c>, in UTC.</summary>
    internal static DateTimeOffset At(string utc) =>
        DateTimeOffset.ParseExact(utc, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// The occurrences after <paramref name="from"/> are exactly <paramref name="expected"/> (comma-separated UTC
    /// instants), in order: Next from each finds the following one, and Previous at and just before each finds it
    /// and the one before.
    /// </summary>
    internal static void AssertFollow(CronSchedule schedule, string from, string expected) =>
        AssertFollow(schedule.Next, schedule.Previous, from, expected);

    /// <inheritdoc cref="AssertFollow(CronSchedule, string, string)"/>
    internal static void AssertFollow(CronOccurrences occurrences, string from, string expected) =>
        AssertFollow(i => Utc(occurrences.Next(i.UtcDateTime)), i => Utc(occurrences.Previous(i.UtcDateTime)), from, expected);

    private static void AssertFollow(Func<DateTimeOffset, DateTimeOffset?> next, Func<DateTimeOffset, DateTimeOffset?> previous, string from, string expected)
    {
        var instants = expected.Split(',', StringSplitOptions.TrimEntries).Select(At).ToList();
        var start = At(from);
        var forwards = new List<DateTimeOffset>();
        var cursor = start;
        foreach (var _ in instants)
        {
            var found = next(cursor) ?? throw new Xunit.Sdk.XunitException($"no occurrence after {Show(cursor)}");
            forwards.Add(found);
            cursor = found;
        }

        Assert.Equal(instants.Select(i => Show(i)), forwards.Select(i => Show(i)));

        var backwards = new List<DateTimeOffset>();
        for (var i = instants.Count - 1; i >= 0; i--)
        {
            Assert.Equal(Show(instants[i]), Show(previous(instants[i])));
            var before = previous(instants[i] - TimeSpan.FromTicks(1));
            if (i > 0)
            {
                backwards.Add(before ?? DateTimeOffset.MinValue);
            }
            else
            {
                Assert.True(before is null || before <= start, $"an occurrence at {Show(before)} between {from} and {Show(instants[0])}");
            }
        }

        backwards.Reverse();
        Assert.Equal(instants.SkipLast(1).Select(i => Show(i)), backwards.Select(i => Show(i)));
    }

    private static DateTimeOffset? Utc(DateTime? utc) => utc is { } value ? new DateTimeOffset(value.Ticks, TimeSpan.Zero) : null;

    private static string Show(DateTimeOffset? instant) =>
        instant is { } value ? value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture) : "none";
}
