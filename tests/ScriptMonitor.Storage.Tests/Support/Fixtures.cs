using System.Diagnostics;

namespace ScriptMonitor.Storage.Tests.Support;

/// <summary>Finds and runs the fixture programs built beside the tests.</summary>
public static class Fixtures
{
    /// <summary>The RunWriter fixture's assembly, built by the ProjectReference in this test project.</summary>
    public static string RunWriterDll
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
            // tests/ScriptMonitor.Storage.Tests/bin/<Configuration>/<tfm>/ → tests/Fixtures/RunWriter/bin/<Configuration>/<tfm>/
            var tfm = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var testsRoot = testOutput.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(testsRoot, "Fixtures", "RunWriter", "bin", configuration, tfm, "RunWriter.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("The RunWriter fixture is not built.", dll);
        }
    }

    public static Process StartRunWriter(string database, string script, string host, int count)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { RunWriterDll, database, script, host, count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
