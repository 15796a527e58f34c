using System.Net;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Hosting;

public sealed class ServerLifetimeTests
{
    [Fact]
    public async Task A_new_server_creates_its_sqlite_store_and_answers_live_and_ready()
    {
        using var folder = new TempFolder();
        var database = folder.File("data/scriptmon.db");
        await using var server = await ServerProcess.Start(database).WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(File.Exists(database), "the store was created on start");
        Assert.Equal(IPAddress.Loopback.ToString(), server.BaseAddress.Host);
    }

    [Fact]
    public async Task A_running_server_watches_no_files_so_writes_under_its_working_directory_cost_it_nothing()
    {
        // It runs in the test's working directory, which has directories below it: a reloading appsettings.json would
        // put an inotify watch on each of them.
        using var folder = new TempFolder();
        await using var server = await ServerProcess.Start(folder.File("scriptmon.db")).WaitUntilListeningAsync();

        var watches = Directory.EnumerateFiles($"/proc/{server.Id}/fdinfo")
            .Sum(fd => File.ReadLines(fd).Count(line => line.StartsWith("inotify ", StringComparison.Ordinal)));

        Assert.Equal(0, watches);
    }

    [Fact]
    public async Task A_second_server_on_the_same_sqlite_file_exits_1_and_says_which_lock_it_met()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        await using var first = await ServerProcess.Start(database).WaitUntilListeningAsync();

        await using var second = ServerProcess.Start(database);
        var status = await second.WaitForExitAsync();

        Assert.Equal(1, status);
        Assert.Contains("another scriptmon-server already serves", second.Output, StringComparison.Ordinal);
        Assert.Contains(database + ".server.lock", second.Output, StringComparison.Ordinal);
        using var client = first.CreateClient();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task SIGTERM_stops_the_server_with_status_0_and_frees_the_store_for_the_next()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        await using var first = await ServerProcess.Start(database).WaitUntilListeningAsync();

        first.Signal("TERM");
        var status = await first.WaitForExitAsync();

        Assert.Equal(0, status);
        await using var next = await ServerProcess.Start(database).WaitUntilListeningAsync();
        using var client = next.CreateClient();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_server_killed_with_SIGKILL_leaves_no_lock_behind()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        await using var first = await ServerProcess.Start(database).WaitUntilListeningAsync();

        first.Signal("KILL");
        await first.WaitForExitAsync();

        await using var next = await ServerProcess.Start(database).WaitUntilListeningAsync();
        using var client = next.CreateClient();
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task A_store_setting_it_cannot_use_stops_the_start_with_status_1_and_the_reason()
    {
        using var folder = new TempFolder();
        var notADatabase = folder.File("notes.txt");
        await File.WriteAllTextAsync(notADatabase, "these are not the runs you are looking for\n");

        await using var server = ServerProcess.Start(notADatabase);
        var status = await server.WaitForExitAsync();

        Assert.Equal(1, status);
        Assert.Contains("cannot open the store", server.Output, StringComparison.Ordinal);
        Assert.Contains(notADatabase, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_already_in_use_stops_the_start_with_status_1_and_says_so()
    {
        using var folder = new TempFolder();
        await using var first = await ServerProcess.Start(folder.File("first.db")).WaitUntilListeningAsync();

        await using var second = ServerProcess.Start(folder.File("second.db"), "--urls", $"http://127.0.0.1:{first.BaseAddress.Port}");
        var status = await second.WaitForExitAsync();

        Assert.Equal(1, status);
        Assert.Contains("scriptmon-server: cannot listen:", second.Output, StringComparison.Ordinal);
        Assert.Contains("address already in use", second.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_lock_file_that_cannot_be_opened_is_said_as_itself_not_as_another_server()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        Directory.CreateDirectory(database + ".server.lock");

        await using var server = ServerProcess.Start(database);
        var status = await server.WaitForExitAsync();

        Assert.Equal(1, status);
        Assert.Contains($"cannot open the server lock {database}.server.lock", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("another scriptmon-server", server.Output, StringComparison.Ordinal);
    }
}
