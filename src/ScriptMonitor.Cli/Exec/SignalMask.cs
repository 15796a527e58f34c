using System.Globalization;

namespace ScriptMonitor.Cli.Exec;

/// <summary>A set of signals 1–64, one bit each (bit N-1 for signal N), as the kernel prints them in /proc.</summary>
internal readonly record struct SignalMask(ulong Bits)
{
    internal static SignalMask Empty => default;

    internal bool Contains(int signal) => signal is > 0 and <= Posix.HighestSignal && (Bits & Bit(signal)) != 0;

    internal SignalMask With(int signal) => new(Bits | Bit(signal));

    internal SignalMask Without(int signal) => new(Bits & ~Bit(signal));

    internal IEnumerable<int> Signals()
    {
        for (var signal = 1; signal <= Posix.HighestSignal; signal++)
        {
            if (Contains(signal))
            {
                yield return signal;
            }
        }
    }

    /// <summary>Fills a C <c>sigset_t</c> with these signals; the C library refuses the two it keeps for itself, and those stay out.</summary>
    internal unsafe void CopyTo(byte* set)
    {
        _ = LibC.SignalSetEmpty(set);
        foreach (var signal in Signals())
        {
            _ = LibC.SignalSetAdd(set, signal);
        }
    }

    internal static unsafe SignalMask From(byte* set)
    {
        var mask = Empty;
        for (var signal = 1; signal <= Posix.HighestSignal; signal++)
        {
            if (LibC.SignalSetContains(set, signal) == 1)
            {
                mask = mask.With(signal);
            }
        }

        return mask;
    }

    /// <summary>Parses the hexadecimal masks of /proc/PID/status (SigIgn, SigCgt, SigBlk).</summary>
    internal static SignalMask Parse(string hex) =>
        new(ulong.Parse(hex.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    private static ulong Bit(int signal) => 1UL << (signal - 1);
}
