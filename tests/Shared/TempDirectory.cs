// Compiled into every test project that needs it (see the projects' Compile items), so there is one copy.
namespace ScriptMonitor.Testing;

/// <summary>A directory of its own under the system temp folder, removed with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("scriptmon-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file open for a moment; the system cleans its temp folder.
        }
    }
}
