namespace ScriptMonitor.Simulation;

/// <summary>
/// Checks that the machine's time-zone data covers the simulated year: every zone is known, and the zones that change
/// their clocks in it do, and those that abolished DST do not. Old data would make the simulation judge the evaluation
/// against rules that no longer hold.
/// </summary>
internal static class TimeZoneCheck
{
    /// <summary>Zones without a clock change in any year the simulation may pick (2025 on): none, or abolished.</summary>
    private static readonly HashSet<string> Fixed = new(StringComparer.Ordinal)
    {
        "America/Sao_Paulo", "Asia/Kathmandu", "Europe/Moscow", "Asia/Tehran", "Asia/Kolkata", "Asia/Tokyo",
        "America/Phoenix", "UTC", "America/Asuncion",
    };

    /// <summary>Null when the data covers <paramref name="year"/>; else what is wrong, naming the zone.</summary>
    internal static string? Problem(IEnumerable<string> zones, int year)
    {
        var version = Version();
        foreach (var zone in zones.Distinct(StringComparer.Ordinal))
        {
            try
            {
                TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or IOException)
            {
                return $"the time zone {zone} is not in this machine's time-zone data ({version}): install the tzdata package";
            }

            var changes = Changes(zone, year).Count;
            if (Fixed.Contains(zone) && changes > 0)
            {
                return $"the time-zone data of this machine ({version}) changes the clocks of {zone} in {year}, which abolished DST: it is older than the simulated year needs; update the tzdata package";
            }

            if (!Fixed.Contains(zone) && changes == 0)
            {
                return $"the time-zone data of this machine ({version}) has no clock change for {zone} in {year}: it does not reach that year; update the tzdata package or simulate an earlier year";
            }
        }

        return null;
    }

    /// <summary>The instants in <paramref name="year"/> at which the zone's UTC offset changes, to the minute.</summary>
    internal static List<DateTimeOffset> Changes(string zone, int year)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var result = new List<DateTimeOffset>();
        var cursor = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = cursor.AddYears(1);
        var offset = tz.GetUtcOffset(cursor);
        for (var at = cursor.AddHours(1); at <= end; at = at.AddHours(1))
        {
            var now = tz.GetUtcOffset(at);
            if (now != offset)
            {
                var low = at.AddHours(-1);
                var high = at;
                while (high - low > TimeSpan.FromMinutes(1))
                {
                    var mid = low + ((high - low) / 2);
                    if (tz.GetUtcOffset(mid) == offset)
                    {
                        low = mid;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                result.Add(new DateTimeOffset(high));
                offset = now;
            }
        }

        return result;
    }

    /// <summary>The version of the data, as tzdata.zi names it; "version unknown" without one.</summary>
    internal static string Version()
    {
        try
        {
            using var reader = new StreamReader("/usr/share/zoneinfo/tzdata.zi");
            var first = reader.ReadLine();
            return first is not null && first.StartsWith("# version ", StringComparison.Ordinal) ? $"tzdata {first[10..]}" : "version unknown";
        }
        catch (IOException)
        {
            return "version unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "version unknown";
        }
    }
}
