using System.Text;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// The last bytes a command wrote to stdout and stderr together, in the order they arrived: a fixed ring, so a
/// command that prints gigabytes costs no more memory than one that prints a line.
/// </summary>
internal sealed class OutputTail(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private readonly Lock _gate = new();
    private long _written;

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (bytes.Length >= _ring.Length)
            {
                bytes[^_ring.Length..].CopyTo(_ring);
                _written += bytes.Length;
                _written -= _written % _ring.Length;
                return;
            }

            var start = (int)(_written % _ring.Length);
            var first = Math.Min(bytes.Length, _ring.Length - start);
            bytes[..first].CopyTo(_ring.AsSpan(start));
            bytes[first..].CopyTo(_ring);
            _written += bytes.Length;
        }
    }

    /// <summary>The tail as text; invalid UTF-8 (binary output, a character cut in half) becomes U+FFFD.</summary>
    internal string Text() => Encoding.UTF8.GetString(Bytes());

    /// <summary>The tail's bytes, oldest first.</summary>
    internal byte[] Bytes()
    {
        lock (_gate)
        {
            if (_written <= _ring.Length)
            {
                return _ring[..(int)_written];
            }

            var start = (int)(_written % _ring.Length);
            var ordered = new byte[_ring.Length];
            _ring.AsSpan(start).CopyTo(ordered);
            _ring.AsSpan(0, start).CopyTo(ordered.AsSpan(_ring.Length - start));
            return ordered;
        }
    }
}
