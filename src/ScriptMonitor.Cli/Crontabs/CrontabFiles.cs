using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScriptMonitor.Cli.Exec;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Cli.Crontabs;

/// <summary>
/// Reads crontabs and writes them back safely: a file is replaced in one rename by a copy with its owner and mode,
/// only if it still holds what was read, after its original is saved in a backup directory outside
/// <c>/etc/cron.d</c>; a user's crontab is installed with <c>crontab -</c>, the way cron expects.
/// </summary>
internal static class CrontabFiles
{
    internal const string SystemDirectory = "/etc/cron.d";

    /// <summary>Where root's backups go: a directory cron never reads.</summary>
    internal const string SystemBackupDirectory = "/var/backups/scriptmon";

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The text of a crontab's bytes: UTF-8, or Latin-1 for bytes that are not UTF-8 (one character per byte), so
    /// that writing the text back with <see cref="Encode"/> gives the same bytes either way.
    /// </summary>
    internal static (string Text, Encoding Encoding) Decode(byte[] bytes)
    {
        try
        {
            return (StrictUtf8.GetString(bytes), StrictUtf8);
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.Latin1.GetString(bytes), Encoding.Latin1);
        }
    }

    internal static byte[] Encode(string text, Encoding encoding) => encoding.GetBytes(text);

    /// <summary>The default backup directory: root's under /var/backups, anyone else's under their state directory.</summary>
    internal static string DefaultBackupDirectory()
    {
        if (Environment.IsPrivilegedProcess)
        {
            return SystemBackupDirectory;
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(
            string.IsNullOrEmpty(state) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state") : state,
            "scriptmon",
            "backups");
    }

    /// <summary>Refuses a backup directory in /etc/cron.d: cron runs every file there, so a backup would run every job twice.</summary>
    internal static string CheckBackupDirectory(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd('/');
        return full == SystemDirectory || full.StartsWith(SystemDirectory + "/", StringComparison.Ordinal)
            ? throw new Input.UsageException($"--backup-dir must be outside {SystemDirectory}: cron runs every file there, so a backup there would run every job twice (got '{directory}').")
            : full;
    }

    /// <summary>Saves the original bytes of a crontab in the backup directory and returns the backup's path.</summary>
    internal static string Backup(string backupDirectory, string label, byte[] original, DateTimeOffset now)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Crontabs are rewritten on Linux only.");
        }

        Directory.CreateDirectory(backupDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var name = new StringBuilder();
        foreach (var c in label.TrimStart('/'))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var path = Path.Combine(backupDirectory, $"{name}.{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}");
        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            stream.Write(original);
            stream.Flush(flushToDisk: true);
        }

        return path;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="replacement"/> in one rename, keeping its owner and mode,
    /// when it still holds <paramref name="original"/>; otherwise nothing is written.
    /// </summary>
    /// <exception cref="ConfigurationException">The file changed since it was read, or cannot be replaced.</exception>
    internal static void Replace(string path, byte[] original, byte[] replacement)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Crontabs are rewritten on Linux only.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;

        // A name with a dot: cron skips such files in /etc/cron.d, so it never runs the copy while it is written.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.scriptmon-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
        try
        {
            var (user, group, mode) = Owner(path);
            using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                stream.Write(replacement);
                stream.Flush(flushToDisk: true);
            }

            if (LibC.ChangeOwner(temporary, user, group) != 0)
            {
                throw new ConfigurationException($"{path} cannot be rewritten with its owner kept (uid {user.ToString(CultureInfo.InvariantCulture)}, gid {group.ToString(CultureInfo.InvariantCulture)}): {LibC.Describe(LibC.LastError)}; nothing was written.");
            }

            File.SetUnixFileMode(temporary, mode);
            if (!File.ReadAllBytes(path).AsSpan().SequenceEqual(original))
            {
                throw new ConfigurationException($"{path} changed after it was read; nothing was written. Run the command again.");
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path} cannot be rewritten: {e.Message}; nothing was written.");
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The text <c>crontab -l</c> prints; a user without a crontab has an empty one.</summary>
    internal static byte[] ListUserCrontab(IReadOnlyList<string> userArguments) =>
        RunCrontab([.. userArguments, "-l"], null, allowNone: true);

    /// <summary>Installs a user's crontab with <c>crontab -</c>, if it still holds what was read.</summary>
    internal static void InstallUserCrontab(IReadOnlyList<string> userArguments, byte[] original, byte[] replacement)
    {
        if (!ListUserCrontab(userArguments).AsSpan().SequenceEqual(original))
        {
            throw new ConfigurationException($"the crontab of 'crontab {string.Join(' ', userArguments)}' changed after it was read; nothing was written. Run the command again.".Replace("crontab  ", "crontab ", StringComparison.Ordinal));
        }

        RunCrontab([.. userArguments, "-"], replacement, allowNone: false);
    }

    private static byte[] RunCrontab(string[] arguments, byte[]? input, bool allowNone)
    {
        var label = "crontab " + string.Join(' ', arguments);
        var start = new ProcessStartInfo("crontab") { RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ConfigurationException($"'{label}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ConfigurationException($"'{label}' cannot be run: there is no crontab program on the PATH (is cron installed?); give the crontab with --file instead.");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.BaseStream.Write(input);
                process.StandardInput.Close();
            }

            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            var problem = error.GetAwaiter().GetResult().Trim();
            if (process.ExitCode == 0)
            {
                return output.ToArray();
            }

            return allowNone && problem.StartsWith("no crontab for ", StringComparison.Ordinal)
                ? []
                : throw new ConfigurationException($"'{label}' failed (exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {problem.ReplaceLineEndings(" ")}");
        }
    }

    internal static unsafe (uint User, uint Group, UnixFileMode Mode) Owner(string path)
    {
        var buffer = stackalloc byte[LibC.StatxSize];
        new Span<byte>(buffer, LibC.StatxSize).Clear();
        if (LibC.Statx(LibC.CurrentDirectory, path, 0, LibC.StatxBasicStats, buffer) != 0)
        {
            throw new ConfigurationException($"{path} cannot be read: {LibC.Describe(LibC.LastError)}.");
        }

        var mode = *(ushort*)(buffer + LibC.StatxModeOffset);
        return (*(uint*)(buffer + LibC.StatxUserOffset), *(uint*)(buffer + LibC.StatxGroupOffset), (UnixFileMode)(mode & 0xFFF));
    }
}
