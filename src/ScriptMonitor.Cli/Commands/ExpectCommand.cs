using System.CommandLine;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon expect</c>: sets, shows, lists, removes and learns expectations. One command with flags rather than
/// subcommands, because setting is by far the common case and reads best as <c>expect NAME --every 1h</c>. The rules of
/// a change (what merges, what excludes what) are the application layer's <see cref="ExpectationPatch"/>; this command
/// reads the options into one, picks the use case, and shows its answer.
/// </summary>
internal static class ExpectCommand
{
    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        [StoreExpectations.ScriptPath] = CommonOptions.NameArgument,
        ["patch.Every"] = "--every",
        ["patch.Cron"] = "--cron",
        ["patch.TimeZone"] = "--tz",
        ["patch.Hosts"] = "--hosts",
        ["patch.AtLeast"] = "--at-least",
        ["patch.Pause"] = "--pause",
        ["patch.Resume"] = "--resume",
        ["patch.Until"] = "--until",
        ["period"] = "--every",
        ["expression"] = "--cron",
        ["timeZone"] = "--tz",
        ["expectation.Schedule.Period"] = "--every",
        ["expectation.Schedule.Expression"] = "--cron",
        ["expectation.Schedule.TimeZone"] = "--tz",
        ["expectation.Schedule"] = "--cron",
        ["expectation.Grace"] = "--grace",
        ["expectation.MinRuntime"] = "--min-runtime",
        ["expectation.MaxRuntime"] = "--max-runtime",
        ["expectation.Hosts.MinimumCount"] = "--at-least",
        ["expectation.Hosts"] = "--hosts",
        ["expectation.FailuresTolerated"] = "--failures-tolerated",
        ["expectation.AbandonAfter"] = "--abandon-after",
        ["expectation.SkipsBeforeAlert"] = "--skips-before-alert",
        ["expectation.PausedUntil"] = "--until",
        ["expectation.Paused"] = "--pause",
        ["expectation.Tags"] = "--tag",
        ["expectation.ScriptName"] = CommonOptions.NameArgument,
    };

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

    private static int Run(CliContext context, string? name, Request request)
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
            return name is not null
                ? throw new UsageException("NAME: --list lists every expectation and takes no NAME.")
                : List(context, request.Json);
        }

        if (name is null)
        {
            throw new UsageException("NAME is required: scriptmon expect NAME [options]");
        }

        var expectations = context.Services.Expectations;
        if (request.Show)
        {
            return Show(context, CliContext.Await(expectations.GetAsync(name)), name, request.Json);
        }

        if (request.Remove)
        {
            return Remove(context, CliContext.Await(expectations.RemoveAsync(name)), request.Json);
        }

        if (request.Learn)
        {
            return Learn(context, CliContext.Await(expectations.LearnAsync(name, request.Save)), name, request.Save, request.Json);
        }

        var patch = request.ToPatch(context.Time.GetUtcNow());
        if (patch.IsEmpty)
        {
            throw new UsageException("expect NAME needs a setting (--every, --cron, --grace, …) or one of --show, --remove, --learn; see 'scriptmon expect --help'.");
        }

        return Write(context, CliContext.Await(expectations.SetAsync(name, patch)), request.Json);
    }

    private static int Show(CliContext context, ExpectationView? expectation, string name, bool json)
    {
        if (expectation is null)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {name} has no expectation (see 'scriptmon expect NAME --learn' for what its runs suggest).");
            return ExitCodes.NotFound;
        }

        return Write(context, expectation, json);
    }

    private static int List(CliContext context, bool json)
    {
        var list = CliContext.Await(context.Services.Expectations.ListAsync());
        if (json)
        {
            return Json.Write(context, list, ViewJsonContext.Default.ExpectationListView);
        }

        if (list.Expectations.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No expectations set in {list.Store}.");
            return ExitCodes.Ok;
        }

        var table = new Table("SCRIPT", "SCHEDULE", "GRACE", "RUNTIME", "HOSTS", "PAUSED", "TAGS");
        foreach (var e in list.Expectations.Select(view => view.ToExpectation()))
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

    private static int Remove(CliContext context, ExpectationRemovedView removed, bool json) => Json.WriteChange(
        context,
        removed,
        ViewJsonContext.Default.ExpectationRemovedView,
        json,
        removed.Removed,
        $"Removed the expectation of {removed.Script}; its runs are kept.",
        $"scriptmon: {removed.Script} has no expectation to remove.");

    private static int Learn(CliContext context, LearnedView? learned, string name, bool save, bool json)
    {
        if (learned is null)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {name} has too little history to learn from yet (it needs {ExpectationLearner.MinimumSuccesses} successful runs).");
            return ExitCodes.NotFound;
        }

        if (json)
        {
            return Json.Write(context, learned, ViewJsonContext.Default.LearnedView);
        }

        var output = context.Terminal.Out;
        output.WriteLine($"{"script:",-15}{context.Terminal.Paint(learned.Script, Tint.Bold)}");
        output.WriteLine($"{"period:",-15}{Full(learned.PeriodSeconds)}");
        output.WriteLine($"{"grace:",-15}{Full(learned.GraceSeconds)}");
        output.WriteLine($"{"runtime:",-15}{Full(learned.RuntimeLowSeconds)} to {Full(learned.RuntimeHighSeconds)} (median {Full(learned.RuntimeMedianSeconds)})");
        output.WriteLine($"{"learned from:",-15}{CountText.Of(learned.SampleCount, "successful run")}");
        output.WriteLine(save
            ? $"{"saved:",-15}{(learned.Saved ? "yes" : "unchanged (already the expectation)")}"
            : $"{"saved:",-15}no (add --save to make this the expectation)");
        return ExitCodes.Ok;
    }

    private static string Full(double seconds) => DurationText.Format(Seconds.ToDuration(seconds));

    private static int Write(CliContext context, ExpectationView expectation, bool json)
    {
        if (json)
        {
            return Json.Write(context, expectation, ViewJsonContext.Default.ExpectationView);
        }

        foreach (var (field, value) in ExpectationText.Describe(expectation.ToExpectation()))
        {
            context.Terminal.Out.WriteLine($"{field + ":",-20}{value}");
        }

        if (expectation.Change is { } change)
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

        /// <summary>The settings as a patch; a malformed duration or time is refused naming its option.</summary>
        internal ExpectationPatch ToPatch(DateTimeOffset now) => new(
            Every: Every is { } every ? DurationText.ParsePositive(every, "--every") : null,
            Cron: Cron,
            TimeZone: Tz,
            Grace: Grace is { } grace ? DurationText.Parse(grace, "--grace") : null,
            MinRuntime: MinRuntime is { } min ? DurationText.Parse(min, "--min-runtime") : null,
            MaxRuntime: MaxRuntime is { } max ? DurationText.ParsePositive(max, "--max-runtime") : null,
            Hosts: Hosts?.Split(',', StringSplitOptions.TrimEntries),
            AtLeast: AtLeast,
            FailuresTolerated: FailuresTolerated,
            AbandonAfter: AbandonAfter is { } bound ? DurationText.ParsePositive(bound, "--abandon-after") : null,
            SkipsBeforeAlert: SkipsBeforeAlert,
            Pause: Pause,
            Until: CommonOptions.ParseTime(Until, "--until", now),
            Resume: Resume,
            Tags: Tags.Length > 0 ? [.. Tags.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries))] : null);
    }
}
