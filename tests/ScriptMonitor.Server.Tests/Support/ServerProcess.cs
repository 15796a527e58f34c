using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ScriptMonitor.Server.Tests.Support;

/// <summary>
/// The built scriptmon-server run as a real process on a free loopback port; its output is collected so a test can
/// read what a person would have read.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Where it listens, once it said so.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Its process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until its output holds <paramref name="text"/> (a line logged after the work it reports), at most <paramref name="bound"/>.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan bound)
    {
        var deadline = DateTimeOffset.UtcNow + bound;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTimeOffset.UtcNow > deadline || _process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Starts a server on the SQLite file (or connection string) given, on a free port of 127.0.0.1.</summary>
    public static ServerProcess Start(string database, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.ArgumentList.Add($"--Server:Database={database}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test gives: no configuration of the machine's or the user's leaks in.
        start.Environment.Remove("SCRIPTMON_DATABASE");
        start.Environment["SCRIPTMON_SERVER_CONFIG"] = string.Empty;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, line) => server.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => server.Collect(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until it listens; fails with its output if it exits or does not listen in time.</summary>
    public async Task<ServerProcess> WaitUntilListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(StartBound)).ConfigureAwait(false);
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"scriptmon-server did not start listening:\n{Output}");
        }

        BaseAddress = await _listening.Task.ConfigureAwait(false);
        return this;
    }

    /// <summary>Waits for it to exit and returns its exit status.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? StartBound);
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Sends it a signal (TERM, INT, KILL…), as systemd or an operator would.</summary>
    public void Signal(string signal) => Posix.Kill(_process.Id, signal);

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static string Dll
    {
        get
        {
            // tests/ScriptMonitor.Server.Tests/bin/<Configuration>/<tfm>/ → src/ScriptMonitor.Server/bin/<Configuration>/<tfm>/
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
            var repositoryRoot = testOutput.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(repositoryRoot, "src", "ScriptMonitor.Server", "bin", testOutput.Parent!.Name, testOutput.Name, "scriptmon-server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("scriptmon-server is not built.", dll);
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}
