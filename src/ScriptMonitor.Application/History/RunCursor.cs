using System.Buffers.Binary;
using System.Buffers.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.History;

/// <summary>
/// Where a page of runs ended, as an opaque text: the start and the id of its last run. The next page begins after
/// that run in the listing's order, so runs that started at the same instant are neither repeated nor skipped.
/// </summary>
internal static class RunCursor
{
    /// <summary>The rule's key of a cursor that is not one this listing gave.</summary>
    public const string Rule = "cursor";

    private const int Length = sizeof(long) + 16;

    public static string Of(ScriptRun run) => Encode(Timestamps.ToUnixMicroseconds(run.StartedAt), run.RunId);

    /// <summary>Reads a cursor.</summary>
    /// <exception cref="ValidationException">The text is not a cursor (the error names <paramref name="path"/>).</exception>
    public static (DateTimeOffset StartedAt, Guid RunId) Parse(string cursor, string path)
    {
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (Base64Url.TryDecodeFromChars(cursor, bytes, out var written) && written == Length)
        {
            var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
            if (micros >= 0 && micros <= Timestamps.ToUnixMicroseconds(DateTimeOffset.MaxValue.AddDays(-1)))
            {
                return (Timestamps.FromUnixMicroseconds(micros), new Guid(bytes.Slice(sizeof(long), 16)));
            }
        }

        throw new ValidationException([new FieldError(path, Rule, $"{path} ('{cursor}') is not a cursor of this listing: give the 'next' of the previous page.")]);
    }

    private static string Encode(long micros, Guid runId)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, micros);
        runId.TryWriteBytes(bytes[sizeof(long)..]);
        return Base64Url.EncodeToString(bytes);
    }
}
