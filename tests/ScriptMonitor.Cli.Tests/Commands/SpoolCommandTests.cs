using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// The spool as an operator meets it: an unreadable entry is shown, set aside once with one message and never
/// again; a flush that meets another delivery waits for it; a spool that cannot be locked is not the store's fault.
/// </summary>
public sealed class SpoolCommandTests : IDisposable
{
    private const string MissingFields = """{"format":1,"scriptName":"half"}""";

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void An_entry_with_missing_fields_is_listed_as_unreadable_and_the_next_flush_sets_it_aside_once()
    {
        var bad = WriteEntry("0000000000000000001-bad-succeeded.run.json", MissingFields);
        var rejected = Path.Combine(_sandbox.SpoolDirectory, "rejected");

        var list = _sandbox.Run("spool", "list");
        var flush = _sandbox.Run("spool", "flush");
        var again = _sandbox.Run("spool", "flush", "--json");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains($"unreadable: {bad}: its runId is missing", list.Stdout, StringComparison.Ordinal);
        Assert.True(flush.ExitCode == 1, flush.ToString());
        Assert.Contains($"rejected:       1 (moved to {rejected})", flush.Stdout, StringComparison.Ordinal);
        Assert.Equal($"scriptmon: error: Spooled run {bad} is unreadable: its runId is missing; it was moved to {rejected}.\n", flush.Stderr);
        Assert.True(File.Exists(Path.Combine(rejected, Path.GetFileName(bad))));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(string.Empty, again.Stderr);
        Assert.Equal(0, again.Json().GetProperty("rejected").GetInt32());
    }

    [Fact]
    public void Exec_reports_an_unreadable_entry_once_and_never_again()
    {
        using (SqliteScriptRunStore.Open(_sandbox.Database))
        {
        }

        WriteEntry("0000000000000000001-bad-succeeded.run.json", "{ truncated");

        var first = _sandbox.Run("exec", "job", "--", "true");
        var second = _sandbox.Run("exec", "job", "--", "true");

        Assert.Equal(0, first.ExitCode);
        var line = Assert.Single(first.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("is unreadable: its content is not a spooled entry", line, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(string.Empty, second.Stderr);
    }

    [Fact]
    public async Task A_flush_that_meets_another_delivery_waits_and_succeeds_when_the_other_delivered_everything()
    {
        var entry = WriteEntry("0000000000000000001-good-succeeded.run.json", ValidEntry("good"));
        var other = new FileStream(Path.Combine(_sandbox.SpoolDirectory, ".delivery.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        using var flush = _sandbox.Start("spool", "flush");
        var said = await flush.StandardError.ReadLineAsync();
        File.Delete(entry);
        await other.DisposeAsync();
        var result = await Sandbox.CompleteAsync(flush);

        Assert.Equal($"scriptmon: warning: Another process is delivering the spool {_sandbox.SpoolDirectory}; waiting up to 30 s for it to finish.", said);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("remaining:      0", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public void A_spool_that_cannot_be_locked_is_reported_as_the_spools_problem_not_the_stores()
    {
        WriteEntry("0000000000000000001-good-succeeded.run.json", ValidEntry("good"));
        Directory.CreateDirectory(Path.Combine(_sandbox.SpoolDirectory, ".delivery.lock"));

        var result = _sandbox.Run("spool", "flush");

        Assert.True(result.ExitCode == 3, result.ToString());
        var line = Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"scriptmon: error: The spool {_sandbox.SpoolDirectory} cannot be locked for delivery", line, StringComparison.Ordinal);
        Assert.DoesNotContain("store", line, StringComparison.Ordinal);
    }

    private static string ValidEntry(string script)
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture);
        var completed = DateTimeOffset.UtcNow.AddMinutes(-4).ToString("O", CultureInfo.InvariantCulture);
        return $$"""{"format":1,"runId":"{{Guid.NewGuid()}}","scriptName":"{{script}}","hostname":"web1","startedAt":"{{started}}","completedAt":"{{completed}}","outcome":"succeeded","exitCode":0,"output":null,"spooledAt":"{{completed}}","reason":"db down"}""";
    }

    private string WriteEntry(string name, string content)
    {
        Directory.CreateDirectory(_sandbox.SpoolDirectory);
        var path = Path.Combine(_sandbox.SpoolDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
