using System.Diagnostics;
using System.Globalization;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Crontabs;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>A user of the host as the user database (getent) and id(1) know them.</summary>
internal sealed record UserAccount(string Name, uint Id, string Home, IReadOnlySet<uint> Groups);

/// <summary>Where another user of the host (a cron job's) records: their configuration read as their commands would read it.</summary>
internal static class UserStores
{
    /// <summary>What is not known of another user's session and is taken as unset.</summary>
    internal const string Assumed =
        "their session's environment cannot be seen from here and is taken as unset: SCRIPTMON_DATABASE, SCRIPTMON_SERVER, SCRIPTMON_CONFIG, XDG_CONFIG_HOME, XDG_DATA_HOME (a crontab's own variables are read by 'crontab import')";

    /// <summary>The user, or null when the host has none of that name.</summary>
    internal static UserAccount? Find(string name)
    {
        var entry = Run("getent", "passwd", name);
        var fields = entry?.Split(':');
        if (fields is not { Length: >= 7 } || !uint.TryParse(fields[2], CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        var groups = (Run("id", "-G", fields[0]) ?? fields[3])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(g => uint.Parse(g, CultureInfo.InvariantCulture))
            .ToHashSet();
        return new UserAccount(fields[0], id, fields[5], groups);
    }

    /// <summary>
    /// The environment a command of <paramref name="user"/> resolves its store in, as far as it is known: their home
    /// (and USER, LOGNAME) from the user database, then <paramref name="variables"/> (a crontab's), then the system
    /// configuration file this command reads. Everything else is unset.
    /// </summary>
    internal static Func<string, string?> Environment(UserAccount user, IReadOnlyDictionary<string, string>? variables)
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = user.Home,
            ["USER"] = user.Name,
            ["LOGNAME"] = user.Name,
        };
        if (System.Environment.GetEnvironmentVariable(StoreLocator.SystemConfigFileVariable) is { Length: > 0 } system)
        {
            known[StoreLocator.SystemConfigFileVariable] = system;
        }

        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            known[name] = value;
        }

        return name => known.GetValueOrDefault(name);
    }

    /// <summary>Why <paramref name="user"/> may not record into <paramref name="location"/>, and how to fix it; null when they may or when it cannot be told (not a SQLite file).</summary>
    internal static string? WriteProblem(UserAccount user, MonitorLocation location)
    {
        if (user.Id == 0 || location.Store is not { } store || !StoreBackup.Supports(store))
        {
            return null;
        }

        var path = store.Target;
        var checks = new List<(string Path, int Want, string What)>();
        if (File.Exists(path))
        {
            checks.AddRange(new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).Select(p => (p, 6, "read and write")));
        }
        else
        {
            var nearest = Path.GetDirectoryName(path);
            while (nearest is not null && !Directory.Exists(nearest))
            {
                nearest = Path.GetDirectoryName(nearest);
            }

            if (nearest is null)
            {
                return null;
            }

            checks.Add((nearest, 3, "create files in"));
            path = Path.Combine(nearest, "x");
        }

        // The directories on the way first, from the root down: the first one refused is the cause.
        var directories = new List<(string Path, int Want, string What)>();
        for (var directory = Path.GetDirectoryName(path); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            directories.Insert(0, (directory, 1, "enter"));
        }

        checks.InsertRange(0, directories);

        foreach (var (target, want, what) in checks)
        {
            (uint Owner, uint Group, UnixFileMode Mode) stat;
            try
            {
                stat = CrontabFiles.Owner(target);
            }
            catch (ConfigurationException)
            {
                return null;
            }

            var mode = (int)stat.Mode;
            var bits = stat.Owner == user.Id ? (mode >> 6) & 7 : user.Groups.Contains(stat.Group) ? (mode >> 3) & 7 : mode & 7;
            if ((bits & want) == want)
            {
                continue;
            }

            var group = Name("group", stat.Group);
            var owner = Name("passwd", stat.Owner);
            var octal = Convert.ToString(mode & 0xFFF, 8);
            var fix = stat.Owner != user.Id && !user.Groups.Contains(stat.Group) && (((mode >> 3) & 7) & want) == want
                ? $"add them to the group: usermod -aG {group} {user.Name} (or install.sh --system --member {user.Name})"
                : $"give {user.Name} the right to {what} {target}";
            return $"{user.Name} may not {what} {target} (mode {octal}, {owner}:{group}{(user.Groups.Contains(stat.Group) ? string.Empty : $", and {user.Name} is not in the group {group}")}), so their runs cannot be recorded in {location}; {fix}.";
        }

        return null;
    }

    /// <summary>A user's or group's name for its number, the number when it has none.</summary>
    private static string Name(string database, uint id) =>
        Run("getent", database, id.ToString(CultureInfo.InvariantCulture))?.Split(':')[0] ?? id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first line a program prints, null when it fails.</summary>
    private static string? Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            _ = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Split('\n')[0].Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
