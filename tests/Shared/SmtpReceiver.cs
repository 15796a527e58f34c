// Compiled into every test project that needs it (see the projects' Compile items), so there is one copy.
using System.Diagnostics;
using System.Net.Sockets;
using MimeKit;

namespace ScriptMonitor.Testing;

/// <summary>
/// A real SMTP server for a test: Debian's aiosmtpd (package python3-aiosmtpd, installed by test.sh) on 127.0.0.1,
/// writing every message it receives to a Maildir, read back with MimeKit.
/// </summary>
public sealed class SmtpReceiver : IDisposable
{
    /// <summary>Debian's Python, which has the package; another python3 on PATH may not.</summary>
    private const string Python = "/usr/bin/python3";

    private readonly TempDirectory _maildir = new();
    private readonly Process _process;

    public SmtpReceiver(int? port = null)
    {
        Port = port ?? HttpReceiver.FreePort();
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", Maildir })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
            catch (SocketException e)
            {
                Dispose();
                throw new InvalidOperationException(
                    $"aiosmtpd did not listen on 127.0.0.1:{Port} ({(_process.HasExited ? $"it exited with {_process.ExitCode}; is python3-aiosmtpd installed?" : "still starting")})", e);
            }
        }
    }

    public int Port { get; }

    /// <summary>A folder the handler creates itself, with the tmp, new and cur folders a Maildir needs.</summary>
    private string Maildir => _maildir.File("mail");

    /// <summary>Waits until a message has arrived and returns every message so far.</summary>
    public async Task<IReadOnlyList<MimeMessage>> MessagesAsync(int atLeast = 1, TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        var folder = Path.Combine(Maildir, "new");
        while (true)
        {
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToList() : [];
            if (files.Count >= atLeast || DateTime.UtcNow > until)
            {
                return [.. files.Select(f => MimeMessage.Load(f))];
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // It had exited.
        }

        _process.Dispose();
        _maildir.Dispose();
    }
}
