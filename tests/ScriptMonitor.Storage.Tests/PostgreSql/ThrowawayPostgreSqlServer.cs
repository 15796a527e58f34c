using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>
/// A PostgreSQL server of the tests' own: <c>initdb</c> into a temporary directory, a free port on 127.0.0.1, the
/// socket in that directory, started with <c>pg_ctl start -w</c>, stopped and removed on dispose. As root the server
/// binaries run as the <c>postgres</c> user, which PostgreSQL requires.
/// </summary>
/// <remarks>
/// Depends on nothing but the runtime, so that other projects (the benchmarks) can compile this file in as it is.
/// </remarks>
internal sealed class ThrowawayPostgreSqlServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly string _pgCtl;
    private readonly bool _asPostgresUser;

    private readonly bool _durable;

    private ThrowawayPostgreSqlServer(string directory, string pgCtl, bool asPostgresUser, bool durable, int port, string password)
    {
        _directory = directory;
        _pgCtl = pgCtl;
        _asPostgresUser = asPostgresUser;
        _durable = durable;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    public string Username => SuperUser;

    /// <summary>Keywords for the <c>postgres</c> database as the superuser, over TCP on 127.0.0.1.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={SuperUser};Password={Password};Database=postgres");

    private string DataDirectory => Path.Combine(_directory, "data");

    private string LogFile => Path.Combine(_directory, "server.log");

    /// <summary>Where <c>initdb</c> is: on PATH, else under Debian's <c>/usr/lib/postgresql/VERSION/bin</c>; null if nowhere.</summary>
    public static string? FindBinDirectory()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Creates and starts a server with the binaries in <paramref name="binDirectory"/>.</summary>
    /// <param name="binDirectory">Where <c>initdb</c> and <c>pg_ctl</c> are.</param>
    /// <param name="durable">
    /// False (tests): no fsync, several times faster, nothing survives a crash. True (benchmarks): every commit is
    /// flushed as on a real server, so that the figures mean something.
    /// </param>
    public static async Task<ThrowawayPostgreSqlServer> StartAsync(string binDirectory, bool durable = false)
    {
        var asPostgresUser = Environment.UserName == "root";
        var directory = Directory.CreateTempSubdirectory("scriptmon-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(directory, "password");
        await File.WriteAllTextAsync(passwordFile, password + "\n");
        if (asPostgresUser)
        {
            await RunAsync("chown", ["-R", $"{SuperUser}:", directory]);
        }

        var pgCtl = Path.Combine(binDirectory, "pg_ctl");
        try
        {
            await RunAsync(Path.Combine(binDirectory, "initdb"), ["-D", Path.Combine(directory, "data"), "-U", SuperUser, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgresUser);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }

        // A port that was free a moment ago can be taken before the server binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = new ThrowawayPostgreSqlServer(directory, pgCtl, asPostgresUser, durable, FreePort(), password);
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch
            {
                Directory.Delete(directory, recursive: true);
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(_pgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w"], _asPostgresUser);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// Stops the server as an administrator would (<c>pg_ctl stop -m fast</c>): open connections are cut, new ones
    /// refused. The data directory stays for <see cref="RestartAsync"/>.
    /// </summary>
    public Task StopAsync() => RunAsync(_pgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w"], _asPostgresUser);

    /// <summary>Starts a stopped server again on the same data directory and port.</summary>
    public Task RestartAsync() => StartAsync();

    /// <summary>
    /// Makes the server stop answering while it still accepts connections, as a hung server does: every server process
    /// is stopped (SIGSTOP), and the kernel still completes TCP handshakes into the listen backlog. Undo with
    /// <see cref="ThawAsync"/>.
    /// </summary>
    public Task FreezeAsync() => SignalServerProcessesAsync("STOP");

    /// <summary>Lets a frozen server answer again (SIGCONT).</summary>
    public Task ThawAsync() => SignalServerProcessesAsync("CONT");

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on at this moment.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Signals the postmaster (the first line of postmaster.pid) and every process it started.</summary>
    private async Task SignalServerProcessesAsync(string signal)
    {
        var postmaster = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First().Trim();
        var pids = new List<string> { postmaster };
        foreach (var process in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync(Path.Combine(process, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or is not ours to read: not a server process either way.
                continue;
            }

            // Field 4, the parent's id, counted after the command name's closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && fields[1] == postmaster)
            {
                pids.Add(Path.GetFileName(process));
            }
        }

        await RunAsync("kill", ["-" + signal, .. pids]);
    }

    private async Task StartAsync()
    {
        // fsync off unless asked: a throwaway server loses nothing that matters in a crash, and tests run several times faster.
        string[] durability = _durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"];
        var serverOptions = string.Join(
            ' ',
            [
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {_directory}",
                "-c listen_addresses=127.0.0.1",
                "-c max_connections=200",
                .. durability,
            ]);
        try
        {
            await RunAsync(_pgCtl, ["start", "-w", "-t", ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-D", DataDirectory, "-l", LogFile, "-o", serverOptions], _asPostgresUser);
        }
        catch (InvalidOperationException e)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no log)";
            throw new InvalidOperationException($"{e.Message}\nserver log:\n{log}", e);
        }
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgresUser = false)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var argument in new[] { "-u", SuperUser, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }
}
