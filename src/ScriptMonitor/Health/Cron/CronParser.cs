using System.Globalization;

namespace ScriptMonitor.Health.Cron;

/// <summary>
/// Reads the schedule part of a crontab line the way Debian's cron does (crontab(5)): five fields, or one of the
/// @-names. What cron would refuse, or would read as something other than it looks (a step after a single value,
/// a range that runs backwards, Quartz's <c>L</c>, <c>W</c>, <c>#</c> and <c>?</c>, a seconds field), is refused
/// with a message that names the field and the rule.
/// </summary>
internal static class CronParser
{
    /// <summary>The parameter every message names, so callers can put their own name for it in front.</summary>
    internal const string Parameter = "expression";

    private const int FieldCount = 5;

    /// <summary>Six fields is what a schedule with seconds, or a line of /etc/crontab cut after the user, looks like.</summary>
    private const int FieldCountWithSeconds = 6;

    private const string FieldList = "minute, hour, day-of-month, month and day-of-week";

    private static readonly FieldSpec Minute = new("minute", "minutes", 0, 59, []);
    private static readonly FieldSpec Hour = new("hour", "hours", 0, 23, []);
    private static readonly FieldSpec DayOfMonth = new("day-of-month", "days of the month", 1, 31, []);
    private static readonly FieldSpec Month = new("month", "months", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]);

    /// <summary>0 and 7 are both Sunday (crontab(5)); names start at Sunday.</summary>
    private static readonly FieldSpec DayOfWeek = new("day-of-week", "days of the week", 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);

    /// <summary>The @-names of crontab(5) and the five fields each stands for. cron compares them in lower case only.</summary>
    private static readonly Dictionary<string, string> Macros = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    internal static CronFields Parse(string expression)
    {
        var text = expression.Trim();
        if (text.Length == 0)
        {
            throw Error($"{Parameter} must be a cron schedule such as '30 2 * * *' or '@daily'; it is empty.");
        }

        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (text[0] == '@')
        {
            return Macro(text, fields);
        }

        if (fields.Length != FieldCount)
        {
            var why = fields.Length switch
            {
                FieldCountWithSeconds => " Cron has no seconds field, and neither the user name of a line in /etc/crontab nor the command is part of the schedule.",
                > FieldCountWithSeconds => " The command is not part of the schedule.",
                _ => string.Empty,
            };
            throw Error($"{Parameter} '{text}' has {fields.Length} fields, but a cron schedule has {FieldCount}: {FieldList}.{why}");
        }

        var minutes = Field(text, fields[0], Minute);
        var hours = Field(text, fields[1], Hour);
        var days = Field(text, fields[2], DayOfMonth);
        var months = Field(text, fields[3], Month);
        var weekdays = Field(text, fields[4], DayOfWeek);

        // Sunday is 0 and 7; cron sets both bits, here 7 is folded into 0.
        var weekdayBits = (byte)((weekdays & 0x7F) | ((weekdays >> 7) & 1));
        var parsed = new CronFields(
            minutes,
            (uint)hours,
            (uint)days,
            (ushort)months,
            weekdayBits,
            bothDaysMustMatch: fields[2][0] == '*' || fields[4][0] == '*',
            wildcard: fields[0][0] == '*' || fields[1][0] == '*');
        return CronHorizon.Problem(text, fields[2], fields[3], fields[4], parsed) is { } problem ? throw Error(problem) : parsed;
    }

    private static CronFields Macro(string text, string[] words)
    {
        if (string.Equals(words[0], "@reboot", StringComparison.Ordinal))
        {
            throw Error($"{Parameter} '{text}' is not a schedule: cron runs an @reboot job once when the cron daemon starts, so there is no time at which a run can be expected. Give a period instead, or leave the schedule to be learned.");
        }

        if (!Macros.TryGetValue(words[0], out var fields))
        {
            throw Error($"{Parameter} '{text}' is not a cron schedule: cron knows {string.Join(", ", Macros.Keys)} and @reboot, in lower case.");
        }

        if (words.Length > 1)
        {
            throw Error($"{Parameter} '{text}' has more than the schedule: give only '{words[0]}'.");
        }

        // @hourly is a wildcard job for cron (it sets HR_STAR), like '0 * * * *'; the others are fixed-time jobs.
        return Parse(fields);
    }

    /// <summary>One field: a list of ranges, each <c>*</c>, <c>n</c> or <c>n-m</c>, each but <c>n</c> with an optional <c>/step</c>.</summary>
    private static ulong Field(string text, string field, FieldSpec spec)
    {
        ulong bits = 0;
        foreach (var entry in field.Split(','))
        {
            if (entry.Length == 0)
            {
                throw FieldError(text, field, spec, "has an empty entry in its list");
            }

            foreach (var c in entry)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('*' or '-' or '/'))
                {
                    throw FieldError(text, field, spec, $"has '{c}', which cron does not understand{Foreign(c)}; a field holds {Holds(spec)}");
                }
            }

            bits |= Entry(text, field, entry, spec);
        }

        return bits;
    }

    private static ulong Entry(string text, string field, string entry, FieldSpec spec)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var range = slash < 0 ? entry : entry[..slash];
        var step = 1;
        if (slash >= 0)
        {
            var stepText = entry[(slash + 1)..];
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
            {
                throw FieldError(text, field, spec, $"has the step '/{stepText}'; a step is a whole number of 1 or more");
            }
        }

        int low;
        int high;
        if (range == "*")
        {
            (low, high) = (spec.Low, spec.High);
        }
        else
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                low = high = Value(text, field, range, spec);
                if (slash >= 0)
                {
                    // Debian's cron refuses '5/10' ("step specified without range"); older crons read it as '5'.
                    throw FieldError(text, field, spec, $"has '{entry}', a step after a single value; cron takes a step only after a range or '*' (write '{range}-{spec.High}/{step}' or '*/{step}')");
                }
            }
            else
            {
                low = Value(text, field, range[..dash], spec);
                high = Value(text, field, range[(dash + 1)..], spec);
                if (low > high)
                {
                    var instead = spec == DayOfWeek && high == 0 ? $"{low}-7" : $"{low}-{spec.High},{spec.Low}-{high}";
                    throw FieldError(text, field, spec, $"has the range '{range}', which runs backwards ({low} to {high}); cron matches nothing for it (write '{instead}')");
                }
            }
        }

        ulong bits = 0;
        for (var value = low; value <= high; value += step)
        {
            bits |= 1UL << value;
        }

        return bits;
    }

    private static int Value(string text, string field, string word, FieldSpec spec)
    {
        if (word.Length == 0)
        {
            throw FieldError(text, field, spec, "has a range with a missing end; a range is two values such as 1-5");
        }

        if (word.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < spec.Low || number > spec.High)
            {
                throw FieldError(text, field, spec, $"has {word}, but {spec.Plural} go from {spec.Low} to {spec.High}{(spec == DayOfWeek ? " (0 and 7 are Sunday)" : string.Empty)}");
            }

            return number;
        }

        var index = Array.FindIndex(spec.Names, n => string.Equals(n, word, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return spec == Month ? index + 1 : index;
        }

        var quartz = word.Contains('L', StringComparison.Ordinal) || word.Contains('W', StringComparison.Ordinal) ? Foreign('L') : string.Empty;
        throw FieldError(
            text,
            field,
            spec,
            spec.Names.Length == 0
                ? $"has '{word}', but it takes numbers only{quartz}"
                : $"has '{word}', which is neither a number nor one of the names {string.Join(", ", spec.Names)}{quartz}");
    }

    private static string Holds(FieldSpec spec) =>
        $"numbers from {spec.Low} to {spec.High}{(spec.Names.Length > 0 ? " or three-letter names" : string.Empty)}, '*', ranges such as 1-5, steps such as */15 and lists such as 1,15";

    private static string Foreign(char c) =>
        c is '?' or 'L' or 'W' or '#' ? " ('?', 'L', 'W' and '#' belong to Quartz-style schedulers, not to cron)" : string.Empty;

    private static ArgumentException FieldError(string text, string field, FieldSpec spec, string rule) =>
        Error($"{Parameter} '{text}' is not a cron schedule: the {spec.Name} field '{field}' {rule}.");

    private static ArgumentException Error(string message) => Runs.ValidationException.Of(Parameter, Runs.FieldRules.CronExpression, message);

    private sealed record FieldSpec(string Name, string Plural, int Low, int High, string[] Names);
}
