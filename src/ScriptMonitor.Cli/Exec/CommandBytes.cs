using System.Text;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// The wrapped command's arguments exactly as scriptmon received them. .NET decodes argv as UTF-8 and replaces what
/// is not valid (a Latin-1 file name) with U+FFFD; the kernel keeps the original bytes in /proc/self/cmdline, and
/// those are what the job gets.
/// </summary>
internal static class CommandBytes
{
    private const string CommandLinePath = "/proc/self/cmdline";

    /// <summary>
    /// The raw form of <paramref name="command"/>, the last arguments scriptmon was started with; their UTF-8 form
    /// when the raw ones cannot be read or do not match (an argument rewritten in memory, no /proc).
    /// </summary>
    internal static IReadOnlyList<byte[]> Of(IReadOnlyList<string> command)
    {
        var encoded = command.Select(Encoding.UTF8.GetBytes).ToArray();
        byte[] all;
        try
        {
            all = File.ReadAllBytes(CommandLinePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return encoded;
        }

        var raw = Split(all);
        if (raw.Count < command.Count)
        {
            return encoded;
        }

        var tail = raw.Skip(raw.Count - command.Count).ToArray();
        for (var i = 0; i < tail.Length; i++)
        {
            if (!Matches(tail[i], command[i]))
            {
                return encoded;
            }
        }

        return tail;
    }

    /// <summary>The NUL-terminated strings of /proc/self/cmdline; an empty argument is an empty string there too.</summary>
    private static List<byte[]> Split(byte[] all)
    {
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i] == 0)
            {
                parts.Add(all[start..i]);
                start = i + 1;
            }
        }

        if (start < all.Length)
        {
            parts.Add(all[start..]);
        }

        return parts;
    }

    /// <summary>Whether raw bytes are what .NET made of them: equal when valid, and the same length of text when not.</summary>
    private static bool Matches(byte[] raw, string decoded)
    {
        var text = Encoding.UTF8.GetString(raw);
        if (text == decoded)
        {
            return true;
        }

        // Invalid UTF-8: .NET's decoder and the runtime's may replace a bad sequence by a different number of U+FFFD.
        return decoded.Contains('\uFFFD', StringComparison.Ordinal) && text.Contains('\uFFFD', StringComparison.Ordinal);
    }
}
