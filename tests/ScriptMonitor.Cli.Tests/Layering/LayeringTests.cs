using System.Reflection;
using System.Runtime.CompilerServices;

namespace ScriptMonitor.Cli.Tests.Layering;

/// <summary>
/// The layering the README's layout section states, read from the built assemblies: a reference that breaks it
/// fails here, not in a review months later.
/// </summary>
public sealed class LayeringTests
{
    private const string Core = "ScriptMonitor";
    private const string Sqlite = "ScriptMonitor.Sqlite";
    private const string PostgreSql = "ScriptMonitor.PostgreSql";
    private const string Application = "ScriptMonitor.Application";
    private const string Scripts = "ScriptMonitor.Scripts";
    private const string Cli = "scriptmon";

    public static TheoryData<string, string[]> MayReference => new()
    {
        { Core, [] },
        { Sqlite, [Core] },
        { PostgreSql, [Core] },
        { Application, [Core, Sqlite, PostgreSql] },
        { Scripts, [Core, Application] },
        { Cli, [Core, Application] },
    };

    public static TheoryData<string> Parts => [Core, Sqlite, PostgreSql, Application, Scripts, Cli];

    [Theory]
    [MemberData(nameof(MayReference))]
    public void Each_part_references_only_the_parts_below_it(string part, string[] allowed)
    {
        var ours = Assembly.Load(part).GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(IsOurs)
            .ToList();

        Assert.All(ours, reference => Assert.Contains(reference, allowed));
    }

    [Theory]
    [MemberData(nameof(Parts))]
    public void A_part_shows_its_internals_only_to_its_own_test_projects(string part)
    {
        var grantees = Assembly.Load(part).GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(grant => grant.AssemblyName)
            .ToList();

        Assert.All(grantees, grantee => Assert.EndsWith(".Tests", grantee, StringComparison.Ordinal));
    }

    [Fact]
    public void The_application_layer_names_the_stores_in_one_file_only()
    {
        var source = Path.Combine(RepositoryRoot(), "src", Application);
        var naming = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => File.ReadLines(file).Any(line => line.StartsWith($"using {Sqlite}", StringComparison.Ordinal) || line.StartsWith($"using {PostgreSql}", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(source, file))
            .ToList();

        Assert.Equal([Path.Combine("Stores", "ScriptRunStores.cs")], naming);
    }

    private static bool IsOurs(string name) => name is Core or Cli || name.StartsWith(Core + ".", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        // tests/ScriptMonitor.Cli.Tests/bin/<Configuration>/<tfm>/ → the repository
        return new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
    }
}
