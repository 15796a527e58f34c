namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>
/// A test that runs scriptmon as an unprivileged user, so that "permission denied" is real: switching user needs
/// root, and root itself is never denied. Skipped, with the reason, when the tests do not run as root.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root, to run scriptmon as an unprivileged user";
        }
    }
}
