using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon expect</c>: sets, shows, lists, removes and learns expectations. One command with flags rather than
/// subcommands, because setting is by far the common case and reads best as <c>expect NAME --every 1h</c>.
/// Setting merges: options given replace those fields of the current expectation, the rest keep their values.
/// </summary>
internal static class ExpectCommand
{
    internal static Command Create(CliContext context)
    {
        var name = new Argument<string?>("NAME") { Description = "The script's name (not with --list).", Arity = ArgumentArity.ZeroOrOne };
        var o = new Options();
        var command = new Command("expect", "Set (upsert), show, list, remove or learn what a script is expected to do. Options not given keep their current value.")
        {
            name, o.Every, o.Cron, o.Tz, o.Grace, o.MinRuntime, o.MaxRuntime, o.Hosts, o.AtLeast, o.FailuresTolerated,
            o.AbandonAfter, o.SkipsBeforeAlert, o.Pause, o.Until, o.Resume, o.Tags, o.Show, o.List, o.Remove, o.Learn, o.Save, o.Json,
        };
        command.SetAction(parse => Run(context, parse.GetValue(name), o.Read(parse)));
        return command;
    }

    private static int Run(CliContext context, string? nameText, Request request)
    {
        var modes = new[] { request.Show, request.List, request.Remove, request.Learn }.Count(m => m);
        if (modes > 1)
        {
            throw new UsageException("--show, --list, --remove and --learn exclude one another: give one.");
        }

        if (request.Save && !request.Learn)
        {
            throw new UsageException("--save saves what --learn inferred: give it with --learn.");
        }

        if (modes > 0 && request.HasSettings)
        {
            throw new UsageException("--show, --list, --remove and --learn take no settings: set an expectation with 'scriptmon expect NAME --every …' alone.");
        }

        if (request.List)
        {
            if (nameText is not null)
            {
                throw new UsageException("NAME: --list lists every expectation and takes no NAME.");
            }

            return List(context, request.Json);
        }

        var name = nameText is null ? throw new UsageException("NAME is required: scriptmon expect NAME [options]") : CommonOptions.ValidName(nameText);
        if (request.Show)
        {
            return Show(context, name, request.Json);
        }

        if (request.Remove)
        {
            return Remove(context, name, request.Json);
        }

        if (request.Learn)
        {
            return Learn(context, name, request.Save, request.Json);
        }

        return Set(context, name, request);
    }

    private static int Set(CliContext context, string name, Request request)
    {
        var now = context.Time.GetUtcNow();
        var change = ParseChange(request, now);
        if (!request.HasSettings)
        {
            throw new UsageException("expect NAME needs a setting (--every, --cron, --grace, …) or one of --show, --remove, --learn; see 'scriptmon expect --help'.");
        }

        // Checked on its own first, so a bad value is refused before the store is opened (or created).
        Validate(change(new ScriptExpectation(name)));
        using var store = context.OpenStore();
        var current = HealthStore.Call(store, s => s.GetExpectationAsync(name));
        var expectation = Validate(change(current ?? new ScriptExpectation(name)));
        var changed = HealthStore.Call(store, s => s.SetExpectationAsync(expectation));
        return Write(context, expectation, request.Json, changed ? (current is null ? "set" : "updated") : "unchanged");
    }

    private static ScriptExpectation Validate(ScriptExpectation expectation)
    {
        try
        {
            return ExpectationValidation.Validate(expectation);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(HealthStore.RenameFields(CommonOptions.StripParameterSuffix(e.Message)), e);
        }
    }

    /// <summary>Reads every setting given into a change to apply to the current expectation; a bad value is a <see cref="UsageException"/>.</summary>
    private static Func<ScriptExpectation, ScriptExpectation> ParseChange(Request r, DateTimeOffset now)
    {
        if (r.Every is not null && r.Cron is not null)
        {
            throw new UsageException("--every and --cron exclude one another: a schedule is a period or a cron expression.");
        }

        if (r.Tz is not null && r.Cron is null)
        {
            throw new UsageException("--tz is the time zone of a cron schedule: give it with --cron.");
        }

        if (r.AtLeast is not null && r.Hosts is null)
        {
            throw new UsageException("--at-least counts hosts of a list: give it with --hosts.");
        }

        if (r.Pause && r.Resume)
        {
            throw new UsageException("--pause and --resume exclude one another.");
        }

        if (r.Until is not null && !r.Pause)
        {
            throw new UsageException("--until ends a pause: give it with --pause.");
        }

        Schedule? schedule = r.Every is { } every ? PeriodOf(every) : r.Cron is { } cron ? CronOf(cron, r.Tz ?? CronSchedule.DefaultTimeZone) : null;
        TimeSpan? grace = r.Grace is { } g ? DurationText.Parse(g, "--grace") : null;
        TimeSpan? minRuntime = r.MinRuntime is { } min ? DurationText.Parse(min, "--min-runtime") : null;
        TimeSpan? maxRuntime = r.MaxRuntime is { } max ? DurationText.ParsePositive(max, "--max-runtime") : null;
        TimeSpan? abandonAfter = r.AbandonAfter is { } bound ? DurationText.ParsePositive(bound, "--abandon-after") : null;
        var hosts = r.Hosts is { } list ? HostsOf(list, r.AtLeast) : null;
        var until = CommonOptions.ParseTime(r.Until, "--until", now);
        if (until is { } u && u <= now)
        {
            throw new UsageException($"--until ({Timestamps.FormatIso(u)}) must be in the future.");
        }

        var tags = r.Tags.Length > 0 ? r.Tags.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries)).ToList() : null;
        return current => current with
        {
            Schedule = schedule ?? current.Schedule,
            Grace = grace ?? current.Grace,
            MinRuntime = minRuntime ?? current.MinRuntime,
            MaxRuntime = maxRuntime ?? current.MaxRuntime,
            Hosts = hosts ?? current.Hosts,
            FailuresTolerated = r.FailuresTolerated ?? current.FailuresTolerated,
            AbandonAfter = abandonAfter ?? current.AbandonAfter,
            SkipsBeforeAlert = r.SkipsBeforeAlert ?? current.SkipsBeforeAlert,
            Paused = r.Pause || (!r.Resume && current.Paused),
            PausedUntil = r.Pause ? until : r.Resume ? null : current.PausedUntil,
            Tags = tags ?? current.Tags,
        };
    }

    private static PeriodSchedule PeriodOf(string text)
    {
        var period = DurationText.ParsePositive(text, "--every");
        try
        {
            return Schedule.Every(period);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(CommonOptions.StripParameterSuffix(e.Message).Replace("period", "--every", StringComparison.Ordinal), e);
        }
    }

    private static CronSchedule CronOf(string expression, string zone)
    {
        try
        {
            return Schedule.Cron(expression, zone);
        }
        catch (ArgumentException e)
        {
            var message = CommonOptions.StripParameterSuffix(e.Message);
            message = e.ParamName == "timeZone"
                ? "--tz" + message[(message.StartsWith("timeZone", StringComparison.Ordinal) ? "timeZone".Length : 0)..]
                : "--cron" + message[(message.StartsWith("expression", StringComparison.Ordinal) ? "expression".Length : 0)..];
            throw new UsageException(message, e);
        }
    }

    private static HostRequirement HostsOf(string list, int? atLeast)
    {
        var hosts = list.Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < hosts.Length; i++)
        {
            CommonOptions.ValidHost(hosts[i], "--hosts");
        }

        return atLeast is { } k ? HostRequirement.AtLeast(k, hosts) : HostRequirement.Each(hosts);
    }

    private static int Show(CliContext context, string name, bool json)
    {
        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        var expectation = store is null ? null : HealthStore.Call(store, s => s.GetExpectationAsync(name));
        if (expectation is null)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {name} has no expectation (see 'scriptmon expect NAME --learn' for what its runs suggest).");
            return ExitCodes.NotFound;
        }

        return Write(context, expectation, json, change: null);
    }

    private static int List(CliContext context, bool json)
    {
        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        var expectations = store is null ? [] : HealthStore.Call(store, s => s.ListExpectationsAsync());
        if (json)
        {
            return Json.Write(context, new ExpectationListJson(location.ToString(), expectations.Select(ExpectationJson.From).ToList()), CliJsonContext.Default.ExpectationListJson);
        }

        if (expectations.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No expectations set in {location}.");
            return ExitCodes.Ok;
        }

        var table = new Table("SCRIPT", "SCHEDULE", "GRACE", "RUNTIME", "HOSTS", "PAUSED", "TAGS");
        foreach (var e in expectations)
        {
            var fields = ExpectationText.Describe(e).ToDictionary(f => f.Field, f => f.Value);
            table.Add(
                (e.ScriptName, Tint.Bold),
                (e.Schedule?.Describe() ?? "learned", Tint.None),
                (fields["grace"], Tint.None),
                (e.MinRuntime is null && e.MaxRuntime is null ? "learned" : fields["runtime"], Tint.None),
                (fields["hosts"], Tint.None),
                (fields["paused"], e.Paused ? Tint.Dim : Tint.None),
                (e.Tags.Count == 0 ? "-" : string.Join(",", e.Tags), Tint.None));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static int Remove(CliContext context, string name, bool json)
    {
        var location = context.ResolveLocation();
        using var store = context.OpenExistingStore(location);
        var removed = store is not null && HealthStore.Call(store, s => s.RemoveExpectationAsync(name));
        if (json)
        {
            return Json.Write(context, new ExpectationRemovedJson(name, removed), CliJsonContext.Default.ExpectationRemovedJson, removed ? ExitCodes.Ok : ExitCodes.NotFound);
        }

        if (!removed)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {name} has no expectation to remove.");
            return ExitCodes.NotFound;
        }

        context.Terminal.Out.WriteLine($"Removed the expectation of {name}; its runs are kept.");
        return ExitCodes.Ok;
    }

    private static int Learn(CliContext context, string name, bool save, bool json)
    {
        var location = context.ResolveLocation();
        using var store = save ? context.OpenExistingStore(location) : context.OpenStoreForReading(location);
        RunView.RequireKnownScript(store, name, location.ToString());
        IExpectationStore expectations = store!;
        var learned = CliContext.Call(store!, _ => new HealthMonitor(expectations, context.Time).LearnAsync(name));
        if (learned is null)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {name} has too little history to learn from yet (it needs {ExpectationLearner.MinimumSuccesses} successful runs).");
            return ExitCodes.NotFound;
        }

        var saved = false;
        if (save)
        {
            var current = HealthStore.Call(store!, s => s.GetExpectationAsync(name));
            saved = HealthStore.Call(store!, s => s.SetExpectationAsync(Validate(learned.ToExpectation(name, current))));
        }

        if (json)
        {
            return Json.Write(
                context,
                new LearnedJson(name, Durations.Seconds(learned.Period), Durations.Seconds(learned.Grace), Durations.Seconds(learned.RuntimeMedian), Durations.Seconds(learned.RuntimeLow), Durations.Seconds(learned.RuntimeHigh), learned.SampleCount, saved),
                CliJsonContext.Default.LearnedJson);
        }

        var output = context.Terminal.Out;
        output.WriteLine($"{"script:",-15}{context.Terminal.Paint(name, Tint.Bold)}");
        output.WriteLine($"{"period:",-15}{DurationText.Format(learned.Period)}");
        output.WriteLine($"{"grace:",-15}{DurationText.Format(learned.Grace)}");
        output.WriteLine($"{"runtime:",-15}{DurationText.Format(learned.RuntimeLow)} to {DurationText.Format(learned.RuntimeHigh)} (median {DurationText.Format(learned.RuntimeMedian)})");
        output.WriteLine($"{"learned from:",-15}{CountText.Of(learned.SampleCount, "successful run")}");
        output.WriteLine(save
            ? $"{"saved:",-15}{(saved ? "yes" : "unchanged (already the expectation)")}"
            : $"{"saved:",-15}no (add --save to make this the expectation)");
        return ExitCodes.Ok;
    }

    private static int Write(CliContext context, ScriptExpectation expectation, bool json, string? change)
    {
        if (json)
        {
            return Json.Write(context, ExpectationJson.From(expectation) with { Change = change }, CliJsonContext.Default.ExpectationJson);
        }

        foreach (var (field, value) in ExpectationText.Describe(expectation))
        {
            context.Terminal.Out.WriteLine($"{field + ":",-20}{value}");
        }

        if (change is not null)
        {
            context.Terminal.Out.WriteLine($"{"change:",-20}{change}");
        }

        return ExitCodes.Ok;
    }

    private sealed class Options
    {
        internal Option<string?> Every { get; } = new("--every") { Description = "Expect a run every DURATION (1m to 366d), counted from the last successful start. E.g. 1h.", HelpName = "DURATION" };

        internal Option<string?> Cron { get; } = new("--cron") { Description = "Expect a run at each occurrence of a cron expression (five fields, or six with seconds), in --tz.", HelpName = "EXPR" };

        internal Option<string?> Tz { get; } = new("--tz") { Description = "The IANA time zone of --cron, e.g. Europe/Berlin. Default UTC.", HelpName = "ZONE" };

        internal Option<string?> Grace { get; } = new("--grace") { Description = "How long past its due time a run may start before the script is late. Default 5m.", HelpName = "DURATION" };

        internal Option<string?> MinRuntime { get; } = new("--min-runtime") { Description = "A successful run shorter than this is an anomaly. Default: the learned band.", HelpName = "DURATION" };

        internal Option<string?> MaxRuntime { get; } = new("--max-runtime") { Description = "A run longer than this is an anomaly, or running too long while in progress. Default: the learned band.", HelpName = "DURATION" };

        internal Option<string?> Hosts { get; } = new("--hosts") { Description = "Each of these hosts (comma-separated) must run it. Default: any host.", HelpName = "A,B,C" };

        internal Option<int?> AtLeast { get; } = new("--at-least")
        {
            Description = "With --hosts: at least K of the hosts must run it, not each.",
            HelpName = "K",
            CustomParser = result => CommonOptions.WholeNumber(result, "--at-least", 1, ExpectationValidation.MaxHosts),
        };

        internal Option<int?> FailuresTolerated { get; } = new("--failures-tolerated")
        {
            Description = $"Consecutive failed runs tolerated before the script is failing (0 to {ExpectationValidation.MaxFailuresTolerated}). Default 0.",
            HelpName = "N",
            CustomParser = result => CommonOptions.WholeNumber(result, "--failures-tolerated", 0, ExpectationValidation.MaxFailuresTolerated),
        };

        internal Option<string?> AbandonAfter { get; } = new("--abandon-after") { Description = "A run still in progress after this long is presumed abandoned when its process cannot be checked (another host or container); 1m to 366d, not below --max-runtime. Default: the longer of 1d and 10 times the maximum runtime.", HelpName = "DURATION" };

        internal Option<int?> SkipsBeforeAlert { get; } = new("--skips-before-alert") { Description = "Runs skipped in a row because another run held the lock before the script is Skipped (1 to 24). Default 3.", HelpName = "N" };

        internal Option<bool> Pause { get; } = new("--pause") { Description = "Pause alerting for the script: it is reported paused and nothing else." };

        internal Option<string?> Until { get; } = new("--until") { Description = "With --pause: the pause ends by itself at TIME, an ISO 8601 time in the future (UTC when no offset is given).", HelpName = "TIME" };

        internal Option<bool> Resume { get; } = new("--resume") { Description = "Lift a pause." };

        internal Option<string[]> Tags { get; } = new("--tag") { Description = "A label to select scripts by (repeat, or comma-separate); replaces the current tags.", HelpName = "TAG", AllowMultipleArgumentsPerToken = false };

        internal Option<bool> Show { get; } = new("--show") { Description = "Show NAME's expectation (exit 1 when none is set)." };

        internal Option<bool> List { get; } = new("--list") { Description = "List every expectation." };

        internal Option<bool> Remove { get; } = new("--remove") { Description = "Remove NAME's expectation; its runs stay (exit 1 when none is set)." };

        internal Option<bool> Learn { get; } = new("--learn") { Description = "Show what NAME's recent runs say about its period and runtime (exit 1 when there are too few)." };

        internal Option<bool> Save { get; } = new("--save") { Description = "With --learn: make what was learned NAME's schedule and runtime limits." };

        internal Option<bool> Json { get; } = CommonOptions.Json();

        internal Request Read(ParseResult parse) => new(
            parse.GetValue(Every),
            parse.GetValue(Cron),
            parse.GetValue(Tz),
            parse.GetValue(Grace),
            parse.GetValue(MinRuntime),
            parse.GetValue(MaxRuntime),
            parse.GetValue(Hosts),
            parse.GetValue(AtLeast),
            parse.GetValue(FailuresTolerated),
            parse.GetValue(AbandonAfter),
            parse.GetValue(SkipsBeforeAlert),
            parse.GetValue(Pause),
            parse.GetValue(Until),
            parse.GetValue(Resume),
            parse.GetValue(Tags) ?? [],
            parse.GetValue(Show),
            parse.GetValue(List),
            parse.GetValue(Remove),
            parse.GetValue(Learn),
            parse.GetValue(Save),
            parse.GetValue(Json));
    }

    private sealed record Request(
        string? Every,
        string? Cron,
        string? Tz,
        string? Grace,
        string? MinRuntime,
        string? MaxRuntime,
        string? Hosts,
        int? AtLeast,
        int? FailuresTolerated,
        string? AbandonAfter,
        int? SkipsBeforeAlert,
        bool Pause,
        string? Until,
        bool Resume,
        string[] Tags,
        bool Show,
        bool List,
        bool Remove,
        bool Learn,
        bool Save,
        bool Json)
    {
        internal bool HasSettings =>
            Every is not null || Cron is not null || Tz is not null || Grace is not null || MinRuntime is not null || MaxRuntime is not null
            || Hosts is not null || AtLeast is not null || FailuresTolerated is not null || AbandonAfter is not null || SkipsBeforeAlert is not null || Pause || Until is not null || Resume || Tags.Length > 0;
    }
}
