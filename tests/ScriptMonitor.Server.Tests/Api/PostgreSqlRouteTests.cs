using System.Net;
using System.Text.Json;
using ScriptMonitor.Storage.Tests.PostgreSql;
using static ScriptMonitor.Server.Tests.Api.ApiServer;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>The same seeded store on a throwaway PostgreSQL server of the test's own.</summary>
public sealed class PostgreSqlApiServer : ApiServer
{
    private ThrowawayPostgreSqlServer? _database;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<string> DatabaseAsync()
    {
        var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql).");
        _database = await ThrowawayPostgreSqlServer.StartAsync(bin);
        return _database.ConnectionString;
    }
}

/// <summary>The main routes answer on PostgreSQL as on SQLite.</summary>
public sealed class PostgreSqlRouteTests(PostgreSqlApiServer api) : IClassFixture<PostgreSqlApiServer>
{
    [Fact]
    public async Task Scripts_runs_in_pages_one_run_last_stats_and_a_pause_with_its_audit_entry_answer_on_postgresql()
    {
        using var read = api.Client(api.Read);
        using var admin = api.Client(api.Admin);

        var scripts = await JsonAsync(await read.GetAsync(new Uri("/api/v1/scripts?tag=nightly", UriKind.Relative)));
        var runIds = new List<Guid>();
        string? next = null;
        do
        {
            var page = await JsonAsync(await read.GetAsync(new Uri($"/api/v1/scripts/backup/runs?limit=4{(next is null ? string.Empty : "&before=" + next)}", UriKind.Relative)));
            runIds.AddRange(page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("runId").GetGuid()));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null && runIds.Count < 100);

        var run = await JsonAsync(await read.GetAsync(new Uri($"/api/v1/runs/{api.FailedRun}", UriKind.Relative)));
        var last = await JsonAsync(await read.GetAsync(new Uri("/api/v1/scripts/backup/last?host=db1", UriKind.Relative)));
        var stats = await JsonAsync(await read.GetAsync(new Uri("/api/v1/scripts/backup/stats", UriKind.Relative)));
        using var paused = await admin.PostAsync(new Uri("/api/v1/scripts/report/pause", UriKind.Relative), null);
        var status = await JsonAsync(await read.GetAsync(new Uri("/api/v1/status", UriKind.Relative)));
        var audit = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/audit", UriKind.Relative)));

        Assert.Equal(["backup"], scripts.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(api.BackupRuns.Order(), runIds.Order());
        Assert.Equal("tar: disk full\n", run.GetProperty("output").GetString());
        Assert.Equal(api.Now.AddHours(-3), last.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(9, stats.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("Paused", status.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "report").GetProperty("health").GetString());
        var entry = audit.GetProperty("entries")[0];
        Assert.Equal(("script.pause", "ops", "report"), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString(), entry.GetProperty("target").GetString()));
    }
}
