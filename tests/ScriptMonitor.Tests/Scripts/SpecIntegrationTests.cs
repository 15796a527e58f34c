using System.Diagnostics;
using System.Net;
using ScriptMonitor.Tests.Support;

namespace ScriptMonitor.Tests.Scripts;

/// <summary>
/// The spec's "LaunchpadScript Integration" example, translated. The spec writes a script to a temporary file and
/// runs it with the interpreter; the faithful translation is a .NET 10 file-based app run with <c>dotnet run FILE.cs</c>,
/// which references the library with a <c>#:project</c> directive. It needs nothing from the network (the library's
/// packages are already restored by the build that runs these tests) and, with the library already built in the
/// same configuration, compiles the script in a few seconds (<c>PublishAot=false</c> spares it the native AOT
/// compiler packages a file-based app references by default); the other process tests use the prebuilt TestScript
/// fixture instead, so that only this one pays for compiling.
/// </summary>
public sealed class SpecIntegrationTests : IDisposable
{
    private const string Script = """
        #:project LIBRARY
        #:property PublishAot=false
        using ScriptMonitor.Scripts;

        return new TestScript().Run(args);

        sealed class TestScript() : MonitoredScript("test-script")
        {
            protected override void Main()
            {
                // Fail if we are told to do so
                if (Args[0] == "fail")
                {
                    throw new InvalidOperationException("Some failure");
                }
            }
        }
        """;

    private readonly ScriptEnvironment _environment = new();

    public void Dispose() => _environment.Dispose();

    [Fact]
    public async Task A_script_built_on_the_base_class_records_its_successful_runs_by_itself()
    {
        var library = Path.Combine(Fixtures.RepositoryRoot, "src", "ScriptMonitor.Scripts", "ScriptMonitor.Scripts.csproj");
        var scriptFile = _environment.File("test_script.cs");
        await File.WriteAllTextAsync(scriptFile, Script.Replace("LIBRARY", library, StringComparison.Ordinal));

        var failed = await RunScriptFileAsync(scriptFile, "fail");

        Assert.True(failed.ExitCode == 1, failed.ToString());
        await using (var store = _environment.OpenStore())
        {
            Assert.Null(store.GetLastActivity("test-script"));
        }

        var passed = await RunScriptFileAsync(scriptFile, "pass");

        Assert.True(passed.ExitCode == 0, passed.ToString());
        await using (var store = _environment.OpenStore())
        {
            var activity = store.GetLastActivity("test-script");
            Assert.NotNull(activity);
            Assert.Equal("test-script", activity.Name);
            Assert.Equal(Dns.GetHostName(), activity.Hostname);
        }
    }

    private async Task<ScriptProcessResult> RunScriptFileAsync(string scriptFile, string argument)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "-c", Fixtures.Configuration, scriptFile, "--", argument },
            WorkingDirectory = Path.GetDirectoryName(scriptFile)!,
        };
        using var script = _environment.Start(start);
        return await script.WaitForExitAsync();
    }
}
