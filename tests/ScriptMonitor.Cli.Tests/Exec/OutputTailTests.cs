using System.Text;
using ScriptMonitor.Cli.Exec;

namespace ScriptMonitor.Cli.Tests.Exec;

public sealed class OutputTailTests
{
    [Fact]
    public void Text_returns_everything_while_it_fits()
    {
        var tail = new OutputTail(16);
        tail.Append("hello "u8);
        tail.Append("world"u8);

        Assert.Equal("hello world", tail.Text());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(40)]
    public void Text_returns_the_last_bytes_in_order_whatever_the_chunk_size(int chunk)
    {
        var text = string.Concat(Enumerable.Range(0, 100).Select(i => (char)('a' + (i % 26))));
        var tail = new OutputTail(16);
        var bytes = Encoding.ASCII.GetBytes(text);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            tail.Append(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }

        Assert.Equal(text[^16..], tail.Text());
    }

    [Fact]
    public void Text_replaces_bytes_that_are_not_utf8()
    {
        var tail = new OutputTail(8);
        tail.Append([0x61, 0xFF, 0x62]);

        Assert.Equal("a\uFFFDb", tail.Text());
    }
}
