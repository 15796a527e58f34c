using System.Text;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Logging;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>
/// Appends log lines to a file and follows log rotation. Before each write it compares the file at the path with
/// where its own handle stands: a file moved away (logrotate's <c>create</c>), deleted, truncated
/// (<c>copytruncate</c>) or appended to by another process no longer has the length this handle last wrote to, so
/// the path is opened afresh and the line goes to the end of whatever file is there now. One <c>stat</c> per line
/// is the whole cost.
/// </summary>
internal sealed class RotationSafeFileLoggerProvider : ILoggerProvider
{
    private readonly string _path;
    private readonly LogLevel _minimumLevel;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private FileStream? _file;
    private bool _reportedFailure;

    internal RotationSafeFileLoggerProvider(string path, LogLevel minimumLevel, TimeProvider timeProvider)
    {
        _path = path;
        _minimumLevel = minimumLevel;
        _timeProvider = timeProvider;
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName, _minimumLevel, LogLine.Timestamped(_timeProvider), Write);

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            try
            {
                var file = CurrentFile();
                file.Write(bytes);
                file.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _file?.Dispose();
                _file = null;
                ReportFailureOnce(e);
            }
        }
    }

    private FileStream CurrentFile()
    {
        if (_file is not null && IsStillThePath(_file))
        {
            return _file;
        }

        _file?.Dispose();
        _file = null;
        if (Path.GetDirectoryName(_path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // Append: each open starts at the current end, so lines from several processes never overwrite each other.
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        return _file;
    }

    private bool IsStillThePath(FileStream file)
    {
        var atPath = new FileInfo(_path);
        return atPath.Exists && atPath.Length == file.Position;
    }

    // A log file that cannot be written must not stop the script; say so once on stderr, where cron mails it.
    private void ReportFailureOnce(Exception e)
    {
        if (!_reportedFailure)
        {
            _reportedFailure = true;
            Console.Error.WriteLine($"Cannot write log file {_path}: {e.Message}");
        }
    }
}
