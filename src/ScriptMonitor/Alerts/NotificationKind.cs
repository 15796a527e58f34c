namespace ScriptMonitor.Alerts;

/// <summary>What a notification tells.</summary>
public enum NotificationKind
{
    /// <summary>A script went down.</summary>
    Down = 0,

    /// <summary>A script that was told down is up again.</summary>
    Recovery = 1,

    /// <summary>A script still down, told again as its channel asks.</summary>
    Repeat = 2,

    /// <summary>A script changed state too often in a short time; told once, then quiet until it is stable.</summary>
    Flapping = 3,

    /// <summary>A test a person asked for (<c>scriptmon channel test</c>).</summary>
    Test = 4,
}
