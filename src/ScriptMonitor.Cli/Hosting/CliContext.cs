using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Logging;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Cli.Output;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>What every command shares: the clock, the terminal, the configuration path and the use cases of the place it names.</summary>
internal sealed class CliContext(TimeProvider timeProvider, Terminal terminal)
{
    /// <summary>The name every line of scriptmon's own on stderr starts with.</summary>
    internal const string ProgramName = "scriptmon";

    private ILogger? _logger;
    private MonitorServices? _services;

    internal TimeProvider Time { get; } = timeProvider;

    internal Terminal Terminal { get; } = terminal;

    /// <summary>The global <c>--database</c> option: the explicit step of the configuration path.</summary>
    internal string? DatabaseSetting { get; set; }

    /// <summary>For <c>exec</c>: the command line after <c>--</c>, or null when there was no <c>--</c>.</summary>
    internal IReadOnlyList<string>? CommandAfterSeparator { get; set; }

    internal LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Which of stdin, stdout and stderr the caller closed: <c>exec</c> gives its job the same.</summary>
    internal Exec.CallerDescriptors Descriptors { get; set; } = Exec.CallerDescriptors.AllOpen;

    /// <summary>scriptmon's diagnostics: one line each on standard error, <c>scriptmon: warning: …</c>.</summary>
    internal ILogger Logger => _logger ??= new StandardErrorLoggerProvider(Terminal.Error, LogLevel, LogLine.Prefixed).CreateLogger(ProgramName);

    /// <summary>
    /// The use cases of the place the configuration path names, resolved once per command.
    /// </summary>
    /// <exception cref="Configuration.ConfigurationException">The configuration cannot be read, or names what this build cannot use.</exception>
    /// <exception cref="ArgumentException"><c>--database</c> is malformed.</exception>
    internal MonitorServices Services => _services ??= MonitorServices.For(MonitorLocator.Resolve(DatabaseSetting), Time, Logger, ProgramName);

    internal static ScriptSettings ResolveSettings() => ScriptSettings.Resolve();

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Waits for a use case: commands are synchronous, and a short-lived process has no context to return to.</summary>
    internal static T Await<T>(Task<T> call) => call.GetAwaiter().GetResult();
}
