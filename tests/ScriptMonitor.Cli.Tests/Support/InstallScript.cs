using System.Diagnostics;
using System.Globalization;

namespace ScriptMonitor.Cli.Tests.Support;

/// <summary>
/// install.sh run with <c>--root DIR</c>, so that a system install goes into a throwaway directory, with a group of its
/// own that <see cref="Dispose"/> removes again with the rest (<c>--uninstall --purge</c>).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallScript : IDisposable
{
    /// <summary>
    /// The tests that change the host's groups: groupadd and usermod lock /etc/group, and one of two at once would
    /// fail, so these tests run one after another.
    /// </summary>
    public const string Collection = "changes the host's groups";

    private static int _count;

    public InstallScript()
    {
        Root = Directory.CreateTempSubdirectory("scriptmon-install-").FullName;

        // Other users (a cron job's) reach the store through the root: 0755 as / is.
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        Group = $"smtest{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The directory install.sh takes for /.</summary>
    public string Root { get; }

    /// <summary>The group that shares the store: one of this test run's own.</summary>
    public string Group { get; }

    /// <summary>The shared store's directory, inside <see cref="Root"/>.</summary>
    public string StoreDirectory => Path.Combine(Root, "var", "lib", "scriptmon");

    /// <summary>The system configuration file install.sh writes, inside <see cref="Root"/>.</summary>
    public string ConfigFile => Path.Combine(Root, "etc", "scriptmon", "config.json");

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "install.sh")))
                {
                    return directory.FullName;
                }
            }

            throw new FileNotFoundException("install.sh is not in any directory above the tests.");
        }
    }

    /// <summary>A directory with a stand-in scriptmon and scriptmon-server for <c>--from</c>: shell scripts that run the build.</summary>
    public string Programs()
    {
        var directory = Directory.CreateDirectory(Path.Combine(Root, "..", Path.GetFileName(Root) + "-programs")).FullName;
        foreach (var name in new[] { "scriptmon", "scriptmon-server" })
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, $"#!/bin/sh\nexec {Environment.ProcessPath} {ScriptmonBuild.Dll} \"$@\"\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return directory;
    }

    /// <summary>Runs install.sh with <c>--root</c> and <c>--group</c> and ARGS.</summary>
    public CliResult Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(RepositoryRoot, "install.sh"), "--root", Root, "--group", Group }.Concat(args))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CliResult(process.ExitCode, System.Text.Encoding.UTF8.GetBytes(output), error.GetAwaiter().GetResult());
    }

    /// <summary>Whether the host knows the group.</summary>
    public bool GroupExists() => Getent("group", Group) is not null;

    /// <summary>The users the host lists as members of the group.</summary>
    public string[] GroupMembers() => Getent("group", Group)?.Split(':')[^1].Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The line of getent(1) for a key of a database, null when there is none.</summary>
    public static string? Getent(string database, string key)
    {
        using var process = Process.Start(new ProcessStartInfo("getent", [database, key]) { RedirectStandardOutput = true })!;
        var line = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? line : null;
    }

    public void Dispose()
    {
        Run("--system", "--uninstall", "--purge");
        Directory.Delete(Root, recursive: true);
        var programs = Path.Combine(Path.GetDirectoryName(Root)!, Path.GetFileName(Root) + "-programs");
        if (Directory.Exists(programs))
        {
            Directory.Delete(programs, recursive: true);
        }
    }
}
