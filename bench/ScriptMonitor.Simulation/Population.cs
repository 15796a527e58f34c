using ScriptMonitor.Health;

namespace ScriptMonitor.Simulation;

/// <summary>
/// The fixed population of issue 15, drawn from one seed: how often the scripts run, in which zones, on which hosts,
/// and what is expected of them.
/// </summary>
internal static class Population
{
    /// <summary>
    /// Every kind of clock-change rule: Europe's and North America's, the southern hemisphere's, Lord Howe's half
    /// hour, Chatham's +12:45, Kathmandu's +05:45, zones that abolished DST (Sao Paulo, Moscow, Tehran), Dublin's
    /// negative DST, Casablanca's Ramadan change, Havana's and Cairo's changes at midnight, and zones without any.
    /// </summary>
    internal static readonly string[] Zones =
    [
        "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kathmandu",
        "Pacific/Chatham", "Europe/Moscow", "Asia/Tehran", "Europe/London", "America/Los_Angeles",
        "Australia/Sydney", "Pacific/Auckland", "America/Santiago", "Africa/Cairo", "America/Havana",
        "Europe/Dublin", "Africa/Casablanca", "America/St_Johns", "Asia/Kolkata", "Asia/Tokyo",
        "America/Phoenix", "UTC", "America/Asuncion",
    ];

    /// <summary>The standard deviation of the runtime's logarithm that gives a coefficient of variation of 0.3.</summary>
    internal static readonly double RuntimeSigma = Math.Sqrt(Math.Log(1 + (0.3 * 0.3)));

    private enum Frequency
    {
        Minutely,
        Minutes,
        Hourly,
        Hours,
        Daily,
        Weekly,
        Monthly,
    }

    internal static List<ScriptSpec> Create(int count, int seed, bool reduced)
    {
        var random = new Random(seed);
        var plan = new List<Frequency>(count);

        // Per thousand: 3 every minute, 20 every 5-15 minutes, 40 hourly, 100 every 2-6 hours, 250 weekly, 175 monthly
        // and the rest daily: about 5,000,000 runs a year with the hosts of the groups. (Issue 15's example of 20
        // every minute and 100 every 5-15 minutes alone would make 17,000,000.) The reduced run has no minutely script.
        void Add(Frequency frequency, double perThousand, int atLeast)
        {
            var n = Math.Max(atLeast, (int)Math.Round(count * perThousand / 1000));
            for (var i = 0; i < n; i++)
            {
                plan.Add(frequency);
            }
        }

        Add(Frequency.Minutely, reduced ? 0 : 3, 0);
        Add(Frequency.Minutes, 20, 3);
        Add(Frequency.Hourly, 40, 4);
        Add(Frequency.Hours, 100, 8);
        Add(Frequency.Weekly, 250, 10);
        Add(Frequency.Monthly, 175, 6);
        while (plan.Count < count)
        {
            plan.Add(Frequency.Daily);
        }

        plan.RemoveRange(count, plan.Count - count);
        var scripts = new List<ScriptSpec>(count);
        var monthly = 0;
        for (var i = 0; i < count; i++)
        {
            var frequency = plan[i];
            var zone = Zones[i % Zones.Length];
            var (cron, period, nominal, runtime) = Draw(frequency, random, zone, frequency == Frequency.Monthly ? monthly++ : -1);

            // A fifth learned (no expectation), among the scripts that run at least weekly: a monthly one would need
            // five months of history before anything is learned. Groups of hosts need an expectation to name them.
            var learned = frequency != Frequency.Monthly && random.NextDouble() < 0.25;
            // Groups of hosts are commoner among the frequent jobs (a cluster's housekeeping), so that every size of run has them.
            var roll = random.NextDouble() * (frequency is Frequency.Hourly or Frequency.Hours ? 0.5 : 1) + (frequency is Frequency.Hourly or Frequency.Hours ? 0.5 : 0);
            var (mode, hosts) = learned || roll < 0.85
                ? (HostMode.Any, new[] { Host(random.Next(200)) })
                : roll < 0.92
                    ? (HostMode.Each, Hosts(random, 2 + random.Next(2)))
                    : (HostMode.AtLeast, Hosts(random, 3));
            var spec = new ScriptSpec
            {
                Index = i,
                Name = $"sim-{i:D4}-{frequency.ToString().ToLowerInvariant()}",
                Zone = zone,
                Cron = cron,
                Period = period,
                NominalPeriod = nominal,
                Hosts = hosts,
                Mode = mode,
                RuntimeMedian = runtime,
                DriftPerYear = (random.NextDouble() * 0.4) - 0.2,
                Phase = TimeSpan.FromSeconds(random.Next((int)nominal.TotalSeconds)),
            };
            if (cron is not null)
            {
                spec.Schedule = new CronSchedule(cron, zone);
            }

            if (!learned)
            {
                var limits = random.NextDouble() < 0.5;
                spec.Expectation = new ScriptExpectation(spec.Name)
                {
                    Schedule = cron is not null ? spec.Schedule : Schedule.Every(period!.Value),
                    Hosts = mode switch
                    {
                        HostMode.Each => HostRequirement.Each(hosts),
                        HostMode.AtLeast => HostRequirement.AtLeast(2, hosts),
                        _ => HostRequirement.Any,
                    },

                    // Limits as a user sets them: far enough outside the normal spread (and a year's drift) that
                    // only a real change crosses them. A factor of 5 was 5.5 standard deviations of the log-normal
                    // noise, 4.7 after a year's drift: among 5,000,000 runs the noise itself crossed it about once a
                    // year. A factor of 8 is over 6.
                    MinRuntime = limits ? runtime / 8 : null,
                    MaxRuntime = limits ? runtime * 8 : null,
                    FailuresTolerated = random.NextDouble() < 0.12 ? 2 : 0,
                };
            }

            scripts.Add(spec);
        }

        return scripts;
    }

    private static string Host(int n) => $"host-{n:D3}";

    private static string[] Hosts(Random random, int count)
    {
        var first = random.Next(200 - count);
        return [.. Enumerable.Range(first, count).Select(Host)];
    }

    private static (string? Cron, TimeSpan? Period, TimeSpan Nominal, TimeSpan Runtime) Draw(Frequency frequency, Random random, string zone, int monthly)
    {
        TimeSpan Between(double fromSeconds, double toSeconds) => TimeSpan.FromSeconds(Math.Round(fromSeconds * Math.Pow(toSeconds / fromSeconds, random.NextDouble())));
        var minute = random.Next(60);

        // Fixed-time jobs often sit in the night's hours, where the clocks change: the skipped and the repeated hour.
        var hour = random.NextDouble() < 0.4 ? random.Next(4) : random.Next(24);
        switch (frequency)
        {
            case Frequency.Minutely:
                return ("* * * * *", null, TimeSpan.FromMinutes(1), Between(2, 20));
            case Frequency.Minutes:
                var step = 5 * (1 + random.Next(3));
                return random.NextDouble() < 0.3
                    ? (null, TimeSpan.FromMinutes(step), TimeSpan.FromMinutes(step), Between(10, 120))
                    : ($"{minute % step}-59/{step} * * * *", null, TimeSpan.FromMinutes(step), Between(10, 120));
            case Frequency.Hourly:
                return ($"{minute} * * * *", null, TimeSpan.FromHours(1), Between(30, 600));
            case Frequency.Hours:
                var hours = 2 + random.Next(5);
                return random.NextDouble() < 0.2
                    ? (null, TimeSpan.FromHours(hours), TimeSpan.FromHours(hours), Between(60, 1200))
                    : ($"{minute} {hour % hours}-23/{hours} * * *", null, TimeSpan.FromHours(hours), Between(60, 1200));
            case Frequency.Daily:
                return ($"{minute} {hour} * * *", null, TimeSpan.FromDays(1), Between(60, 3600));
            case Frequency.Weekly:
                return ($"{minute} {hour} * * {random.Next(7)}", null, TimeSpan.FromDays(7), Between(60, 5400));
            default:
                var runtime = Between(60, 5400);
                return (monthly % 10) switch
                {
                    // The last day of the month as crontabs write it: every possible last day, the job checks.
                    0 => ($"{minute} 23 28-31 * *", null, TimeSpan.FromDays(30), runtime),
                    1 => ($"{minute} 12 29 2 *", null, TimeSpan.FromDays(365), runtime),

                    // Day-of-month and day-of-week both restricted: either matches (cron's OR rule).
                    2 => ($"{minute} {hour} 1,15 * 5", null, TimeSpan.FromDays(5), runtime),
                    _ => ($"{minute} {hour} {1 + random.Next(28)} * *", null, TimeSpan.FromDays(30), runtime),
                };
        }
    }
}
