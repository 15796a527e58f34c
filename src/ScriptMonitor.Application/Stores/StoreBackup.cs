using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Application.Stores;

/// <summary>
/// A backup of the embedded store while it is in use: a consistent copy (SQLite's online backup API) written beside
/// its destination, flushed to disk, then renamed into place, so the destination is never a half-written file.
/// </summary>
public static class StoreBackup
{
    /// <summary>Whether the store is one this backup can copy: a SQLite file. A server database has its own tools.</summary>
    /// <param name="location">The store.</param>
    public static bool Supports(StoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return ScriptRunStores.CanCopyWhileInUse(location);
    }

    /// <summary>Copies the store to <paramref name="destination"/>, replacing a file there.</summary>
    /// <param name="access">The store; one <see cref="Supports"/> accepts.</param>
    /// <param name="destination">A full path whose directory exists.</param>
    /// <returns>The size of the copy, in bytes.</returns>
    /// <exception cref="NotSupportedException">The store is not a SQLite file.</exception>
    /// <exception cref="Runs.StoreUnavailableException">The store cannot be read or the copy cannot be written.</exception>
    public static long Backup(StoreAccess access, string destination)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var directory = Path.GetDirectoryName(destination)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
        try
        {
            ScriptRunStores.CopyWhileInUse(access.Location, temporary);
            using (var copy = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
            {
                copy.Flush(flushToDisk: true);
            }

            File.Move(temporary, destination, overwrite: true);
            DirectorySync.Flush(directory);
        }
        finally
        {
            // Gone after the rename; after a failure, no half-written copy is left behind.
            File.Delete(temporary);
        }

        return new FileInfo(destination).Length;
    }
}
