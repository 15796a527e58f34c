using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Command channels: the channel's program runs with the event as JSON on its standard input and as
/// <c>SCRIPTMON_*</c> environment variables (for ntfy, Pushover, PagerDuty command-line tools and the like). Exit
/// status 0 is delivered; any other is retried, with the end of its output in the error. A program still running when
/// the attempt's time is up is killed, with everything it started.
/// </summary>
internal sealed class CommandSender : INotificationSender
{
    private const int TailCharacters = 500;

    public ChannelKind Kind => ChannelKind.Command;

    public async Task<SendResult> SendAsync(AlertChannel channel, AlertEvent alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alert);
        var program = channel.Settings[ChannelSettings.Program];
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in ChannelValidation.Arguments(channel.Settings.GetValueOrDefault(ChannelSettings.Args)) ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment(channel, alert))
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new Tail(TailCharacters);
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new SendResult(false, $"{program} cannot be started: {e.Message}", Retry: false);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(AlertJson.Serialize(alert).AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program did not read its input (it exited, or closed it): its exit status still says how it went.
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            return new SendResult(false, $"{program} was killed: still running when the attempt's time was up{output.Describe()}", Retry: true);
        }

        // Output still on its way after the exit is waited for, so the tail is whole.
        process.WaitForExit();
        return process.ExitCode == 0
            ? SendResult.Success
            : new SendResult(false, $"{program} exited with status {process.ExitCode.ToString(CultureInfo.InvariantCulture)}{output.Describe()}", Retry: true);
    }

    /// <summary>The event as environment variables, every one a string; absent facts are left unset.</summary>
    internal static IReadOnlyList<(string Name, string Value)> Environment(AlertChannel channel, AlertEvent alert)
    {
        var variables = new List<(string, string)>
        {
            ("SCRIPTMON_EVENT_ID", alert.EventId.ToString("D")),
            ("SCRIPTMON_CHANNEL", channel.Name),
            ("SCRIPTMON_KIND", alert.Kind.ToString().ToLowerInvariant()),
            ("SCRIPTMON_SCRIPT", alert.ScriptName),
            ("SCRIPTMON_STATE", alert.State.ToString()),
            ("SCRIPTMON_STATUS", AlertTemplate.Status(alert)),
            ("SCRIPTMON_SUMMARY", alert.Summary),
            ("SCRIPTMON_AT", AlertTemplate.Instant(alert.At)),
            ("SCRIPTMON_TIME_ZONE", alert.TimeZone),
            ("SCRIPTMON_TAGS", string.Join(' ', alert.Tags)),
        };
        Add(variables, "SCRIPTMON_PREVIOUS_STATE", alert.PreviousState?.ToString());
        Add(variables, "SCRIPTMON_HOST", alert.Hostname);
        Add(variables, "SCRIPTMON_DUE", alert.Facts.DueAt is { } due ? AlertTemplate.Instant(due) : null);
        Add(variables, "SCRIPTMON_LAST_SUCCESS", alert.Facts.LastSuccessAt is { } success ? AlertTemplate.Instant(success) : null);
        Add(variables, "SCRIPTMON_DOWN_FOR_SECONDS", alert.DownFor is { } down ? Math.Round(down.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null);
        Add(variables, "SCRIPTMON_EXIT_CODE", alert.LastExitCode?.ToString(CultureInfo.InvariantCulture));
        Add(variables, "SCRIPTMON_RUN_ID", alert.LastRunId?.ToString("D"));
        Add(variables, "SCRIPTMON_LINK", alert.Link?.AbsoluteUri);
        return variables;
    }

    private static void Add(List<(string, string)> variables, string name, string? value)
    {
        if (value is not null)
        {
            variables.Add((name, value));
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the timeout and the kill.
        }
    }

    /// <summary>The end of a program's output, kept line by line as it arrives.</summary>
    private sealed class Tail(int characters)
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > characters * 2)
                {
                    _text.Remove(0, _text.Length - characters);
                }
            }
        }

        public string Describe()
        {
            lock (_gate)
            {
                var text = _text.ToString().Trim();
                if (text.Length == 0)
                {
                    return string.Empty;
                }

                return ": " + (text.Length <= characters ? text : "…" + text[^characters..]).ReplaceLineEndings(" | ");
            }
        }
    }
}
