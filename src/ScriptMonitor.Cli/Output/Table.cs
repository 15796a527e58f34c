namespace ScriptMonitor.Cli.Output;

/// <summary>
/// A plain text table: a header row and left-aligned columns separated by two spaces, the same on a terminal and in
/// a pipe (where <c>cut</c> and <c>awk</c> read it) except that a terminal gets colour.
/// </summary>
internal sealed class Table(params string[] headers)
{
    private const string Gap = "  ";
    private readonly List<(string Text, Tint Tint)[]> _rows = [];

    internal void Add(params (string Text, Tint Tint)[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"A row needs {headers.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    internal void Write(Terminal terminal)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Text.Length);
            }
        }

        WriteRow(terminal, headers.Select(h => (h, Tint.Bold)).ToArray(), widths);
        foreach (var row in _rows)
        {
            WriteRow(terminal, row, widths);
        }
    }

    private static void WriteRow(Terminal terminal, (string Text, Tint Tint)[] cells, int[] widths)
    {
        var line = new System.Text.StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            var padding = last ? string.Empty : new string(' ', widths[i] - cells[i].Text.Length) + Gap;
            line.Append(terminal.Paint(cells[i].Text, cells[i].Tint)).Append(padding);
        }

        terminal.Out.WriteLine(line.ToString().TrimEnd());
    }
}
