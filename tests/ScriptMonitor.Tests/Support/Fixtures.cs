namespace ScriptMonitor.Tests.Support;

/// <summary>Finds what the tests run: the fixture programs built beside them, and the repository itself.</summary>
public static class Fixtures
{
    private static readonly DirectoryInfo TestOutput = new(AppContext.BaseDirectory);

    /// <summary>The configuration the tests were built in (Debug or Release).</summary>
    public static string Configuration => TestOutput.Parent!.Name;

    /// <summary>The root of the repository, where ScriptMonitor.slnx is.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = TestOutput; directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ScriptMonitor.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No ScriptMonitor.slnx above {TestOutput.FullName}.");
        }
    }

    /// <summary>The TestScript fixture's assembly, built by the ProjectReference in this test project.</summary>
    public static string TestScriptDll
    {
        get
        {
            // tests/ScriptMonitor.Tests/bin/<Configuration>/<tfm>/ → tests/Fixtures/TestScript/bin/<Configuration>/<tfm>/
            var dll = Path.Combine(RepositoryRoot, "tests", "Fixtures", "TestScript", "bin", Configuration, TestOutput.Name, "TestScript.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("The TestScript fixture is not built.", dll);
        }
    }
}
