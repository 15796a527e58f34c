namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>Finds the scriptmon that the build of src/ScriptMonitor.Cli produced, in the same configuration as the tests.</summary>
public static class ScriptmonBuild
{
    /// <summary>Set to a published scriptmon (Native AOT) to run every CLI test against it instead of the build.</summary>
    public const string BinaryVariable = "SCRIPTMON_TEST_BINARY";

    /// <summary>How to start scriptmon: the program and the arguments before scriptmon's own.</summary>
    public static IReadOnlyList<string> Command =>
        Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } binary ? [binary] : ["dotnet", Dll];

    public static string Dll
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
            // tests/ScriptMonitor.Cli.Tests/bin/<Configuration>/<tfm>/ → src/ScriptMonitor.Cli/bin/<Configuration>/<tfm>/
            var tfm = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var repositoryRoot = testOutput.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(repositoryRoot, "src", "ScriptMonitor.Cli", "bin", configuration, tfm, "scriptmon.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("scriptmon is not built.", dll);
        }
    }
}
