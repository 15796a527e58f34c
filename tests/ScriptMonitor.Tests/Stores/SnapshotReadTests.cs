using ScriptMonitor.Health;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Tests.Stores;

/// <summary>How deep the snapshot read goes for each script.</summary>
public sealed class SnapshotReadTests
{
    [Theory]
    [InlineData(null, ScriptHistory.Depth)]
    [InlineData(3, ScriptHistory.Depth)]
    [InlineData(ScriptHistory.Depth - 1, ScriptHistory.Depth)]
    [InlineData(ScriptHistory.Depth, ScriptHistory.Depth + 1)]
    [InlineData(100, 101)]
    public void A_snapshot_holds_at_least_the_default_depth_and_one_run_more_than_the_failures_tolerated(int? tolerated, int depth) =>
        Assert.Equal(depth, SnapshotRead.DepthOf(tolerated is { } t ? new ScriptExpectation("job") { FailuresTolerated = t } : null));
}
