namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>Finds the scriptmon that the build of src/ScriptMonitor.Cli produced, in the same configuration as the tests.</summary>
public static class ScriptmonBuild
{
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
