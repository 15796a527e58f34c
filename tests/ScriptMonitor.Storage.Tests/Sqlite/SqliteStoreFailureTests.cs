using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Storage.Tests.Support;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>
/// Every method of the contract on a SQLite file another process holds locked, and on one this user may only read:
/// in WAL mode readers are never held up, and every write fails as <see cref="Runs.StoreUnavailableException"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteStoreFailureTests : StoreFailureContract, IDisposable
{
    /// <summary>The unprivileged user (nobody) a check runs as, so that "permission denied" is real even when the tests run as root.</summary>
    private const int UnprivilegedId = 65534;

    /// <summary>How long a call waits for the lock: short, since every write here is meant to find it held.</summary>
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override async Task<IReadOnlyList<StoreCallResult>> CallEveryMethodWhileLockedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var location = ScriptRunStores.Parse(_directory.File("locked.db"));
        await using var store = ScriptRunStores.Open(location, waitBound: Busy);
        await StoreCalls.SeedAsync(store, now);

        using var other = new SqliteConnection($"Data Source={location.Target};Pooling=False");
        other.Open();
        using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE";
        begin.ExecuteNonQuery();

        // Microsoft.Data.Sqlite retries a busy statement for at least a second whatever the busy timeout: the calls are
        // made at once, each on a store of its own, so that those seconds overlap.
        return await StoreCalls.CallEachAtOnceAsync(() => ScriptRunStores.Open(location, waitBound: Busy), now);
    }

    /// <summary>
    /// The calls are made by another process, as a user who may read the file and its directory but write neither:
    /// as root, that is nobody (root itself is never denied); otherwise this user, once the files are made read-only.
    /// </summary>
    protected override async Task<IReadOnlyList<StoreCallResult>> CallEveryMethodReadOnlyAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var path = _directory.File("read-only.db");
        await using (var store = ScriptRunStores.Open(ScriptRunStores.Parse(path)))
        {
            await StoreCalls.SeedAsync(store, now);
        }

        var asRoot = Environment.UserName == "root";
        foreach (var file in Directory.GetFiles(_directory.Path))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead | (asRoot ? UnixFileMode.UserWrite : UnixFileMode.None));
        }

        File.SetUnixFileMode(_directory.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | (asRoot ? UnixFileMode.UserWrite : UnixFileMode.None));
        try
        {
            var id = UnprivilegedId.ToString(CultureInfo.InvariantCulture);
            var start = new ProcessStartInfo(asRoot ? "setpriv" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            string[] asOtherUser = asRoot ? [$"--reuid={id}", $"--regid={id}", "--clear-groups", "--", "dotnet"] : [];
            foreach (var argument in asOtherUser.Concat([Fixtures.RunWriterDll, "--calls", path, StoreCalls.Format(now)]))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(ProcessLimit);
            Assert.True(process.ExitCode == 0, $"the calls exited {process.ExitCode}: {await error}");
            return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(StoreCallResult.FromLine).ToList();
        }
        finally
        {
            // The directory must be writable again to be removed.
            File.SetUnixFileMode(_directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
