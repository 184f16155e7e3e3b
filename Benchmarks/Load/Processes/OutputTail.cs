using System.Text;

namespace Benchmarks.Load.Processes;

/// <summary>
/// Drains a child's output and keeps only its last bytes, to tell why it died. Read in raw blocks,
/// not line by line: the services log several lines per request, and turning each into a string
/// would take CPU from the services being measured.
/// </summary>
internal sealed class OutputTail
{
    private const int KeptBytes = 8 * 1024;
    private const int KeptLines = 30;

    private readonly byte[] _ring = new byte[KeptBytes];
    private long _written;

    /// <summary>Reads <paramref name="output"/> to its end.</summary>
    public async Task DrainAsync(Stream output)
    {
        var block = new byte[64 * 1024];
        int read;
        while ((read = await output.ReadAsync(block)) > 0)
        {
            Keep(block.AsSpan(0, read));
        }
    }

    /// <summary>The last lines written, oldest first.</summary>
    public IReadOnlyList<string> LastLines()
    {
        byte[] kept;
        bool truncated;
        lock (_ring)
        {
            var end = (int)(_written % KeptBytes);
            truncated = _written > KeptBytes;
            kept = truncated ? [.. _ring[end..], .. _ring[..end]] : _ring[..end];
        }

        var lines = Encoding.UTF8.GetString(kept).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // When older output was dropped, the first line is likely cut.
        var whole = truncated ? lines.Skip(1) : lines;
        return [.. whole.TakeLast(KeptLines)];
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (data.Length > KeptBytes)
        {
            data = data[^KeptBytes..];
        }

        lock (_ring)
        {
            var at = (int)(_written % KeptBytes);
            var first = Math.Min(data.Length, KeptBytes - at);
            data[..first].CopyTo(_ring.AsSpan(at));
            data[first..].CopyTo(_ring);
            _written += data.Length;
        }
    }
}
