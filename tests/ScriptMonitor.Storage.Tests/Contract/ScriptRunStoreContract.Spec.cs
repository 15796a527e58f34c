using System.Net;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>The spec's "Recording Successful Runs" section, line by line.</summary>
public abstract partial class ScriptRunStoreContract
{
    [Fact]
    public async Task Spec_RecordSuccess_returns_the_activity_with_name_host_and_both_timestamps()
    {
        var activity = Store.RecordSuccess(
            name: "script-name",
            dateStarted: new DateTimeOffset(2007, 2, 1, 10, 0, 0, TimeSpan.Zero),
            dateCompleted: new DateTimeOffset(2007, 2, 1, 10, 1, 0, TimeSpan.Zero));

        Assert.Equal("script-name", activity.Name);
        Assert.Equal(Dns.GetHostName(), activity.Hostname);
        Assert.Equal("2007-02-01 10:00:00+00:00", Timestamps.Format(activity.DateStarted));
        Assert.Equal("2007-02-01 10:01:00+00:00", Timestamps.Format(activity.DateCompleted));
        await Task.CompletedTask;
    }

    [Fact]
    public void Spec_GetLastActivity_matches_the_activity_just_recorded()
    {
        Store.RecordSuccess(
            name: "script-name",
            dateStarted: new DateTimeOffset(2007, 2, 1, 10, 0, 0, TimeSpan.Zero),
            dateCompleted: new DateTimeOffset(2007, 2, 1, 10, 1, 0, TimeSpan.Zero));

        var activity = Store.GetLastActivity("script-name");

        Assert.NotNull(activity);
        Assert.Equal("2007-02-01 10:00:00+00:00", Timestamps.Format(activity.DateStarted));
    }

    [Fact]
    public void Spec_GetLastActivity_returns_null_for_a_script_that_never_ran()
    {
        Assert.Null(Store.GetLastActivity("no-such-script"));
    }

    [Fact]
    public async Task Async_forms_behave_as_the_sync_ones()
    {
        var recorded = await Store.RecordSuccessAsync("script-name", Utc(2007, 2, 1, 10, 0), Utc(2007, 2, 1, 10, 1));

        Assert.Equal(recorded, await Store.GetLastActivityAsync("script-name"));
        Assert.Null(await Store.GetLastActivityAsync("no-such-script"));
    }

    [Fact]
    public async Task GetLastActivity_is_what_another_instance_on_the_same_data_sees()
    {
        var recorded = Store.RecordSuccess("script-name", Utc(2007, 2, 1, 10, 0), Utc(2007, 2, 1, 10, 1));

        await using var other = await ReopenStoreAsync();

        Assert.Equal(recorded, other.GetLastActivity("script-name"));
    }
}
