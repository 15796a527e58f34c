using System.Reflection;
using System.Runtime.CompilerServices;

namespace ScriptMonitor.Server.Tests.Hosting;

/// <summary>The server is a front end: it reaches the stores only through the application layer.</summary>
public sealed class ServerLayeringTests
{
    [Fact]
    public void The_server_references_only_the_application_layer_and_core()
    {
        var ours = Assembly.Load("scriptmon-server").GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => name == "ScriptMonitor" || name.StartsWith("ScriptMonitor.", StringComparison.Ordinal) || name.StartsWith("scriptmon", StringComparison.Ordinal))
            .ToList();

        Assert.All(ours, reference => Assert.Contains(reference, new[] { "ScriptMonitor", "ScriptMonitor.Application" }));
    }

    [Fact]
    public void The_server_shows_its_internals_only_to_its_tests()
    {
        var grantees = Assembly.Load("scriptmon-server").GetCustomAttributes<InternalsVisibleToAttribute>().Select(grant => grant.AssemblyName);

        Assert.All(grantees, grantee => Assert.EndsWith(".Tests", grantee, StringComparison.Ordinal));
    }
}
