namespace ScriptMonitor.Access;

/// <summary>
/// A glob over script names, as an ingest key limits the scripts it may record: <c>*</c> stands for any run of
/// characters (none too), <c>?</c> for exactly one; every other character stands for itself, case-sensitively, as
/// script names are compared. There is no escape: script names that contain <c>*</c> or <c>?</c> are matched by them too.
/// </summary>
public static class ScriptPattern
{
    /// <summary>Whether <paramref name="scriptName"/> matches <paramref name="pattern"/>.</summary>
    /// <param name="pattern">The glob.</param>
    /// <param name="scriptName">The script's name.</param>
    public static bool IsMatch(string pattern, string scriptName)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(scriptName);
        var glob = Runes(pattern);
        var name = Runes(scriptName);

        // The classic greedy walk with one back-track point: linear in practice, never exponential.
        int g = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || (glob[g] != '*' && glob[g] == name[n])))
            {
                g++;
                n++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                star = g++;
                resume = n;
            }
            else if (star >= 0)
            {
                g = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }

    /// <summary>Whether any of <paramref name="patterns"/> matches; an empty list allows every script.</summary>
    /// <param name="patterns">The globs.</param>
    /// <param name="scriptName">The script's name.</param>
    public static bool AnyMatch(IReadOnlyList<string> patterns, string scriptName)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Count == 0 || patterns.Any(pattern => IsMatch(pattern, scriptName));
    }

    /// <summary>The string as code points, so that <c>?</c> stands for one character even outside the BMP.</summary>
    private static int[] Runes(string value)
    {
        var runes = new List<int>(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            runes.Add(rune.Value);
        }

        return [.. runes];
    }
}
