using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tests.Hostile;

/// <summary>
/// An HTTP/1.1 request written by hand on a connection of its own, as an attacker would write it:
/// its headers at once, its body as slowly as the test says, or not at all. Loopback only. The
/// answer's status line and headers are read as soon as the server sends them, body or not.
/// </summary>
internal sealed class RawRequest : IAsyncDisposable
{
    private readonly TcpClient _connection;
    private readonly NetworkStream _stream;

    private RawRequest(TcpClient connection)
    {
        _connection = connection;
        _stream = connection.GetStream();
        Answer = ReadAnswerAsync(_stream);
    }

    /// <summary>The server's answer: its status and headers, once it has sent them; null if it closed the connection without one.</summary>
    public Task<RawAnswer?> Answer { get; }

    /// <summary>
    /// Connects to <paramref name="server"/> (a loopback address, from <paramref name="from"/>, another
    /// loopback address, when given) and sends the request line and headers of a request whose body
    /// is <paramref name="contentLength"/> bytes long.
    /// </summary>
    public static async Task<RawRequest> StartAsync(
        Uri server, string method, string path, long contentLength, CancellationToken cancellationToken,
        string contentType = "application/x-www-form-urlencoded", string? authorization = null, IPAddress? from = null)
    {
        var address = server.IsLoopback && IPAddress.TryParse(server.Host, out var parsed) ? parsed : IPAddress.Loopback;
        if (!server.IsLoopback || from is not null && !IPAddress.IsLoopback(from))
        {
            throw new ArgumentException($"Attacks go to loopback only, not to {server} from {from}.", nameof(server));
        }

        var connection = from is null ? new TcpClient(address.AddressFamily) : new TcpClient(new IPEndPoint(from, 0));
        try
        {
            await connection.ConnectAsync(address, server.Port, cancellationToken);
            var head = new StringBuilder()
                .Append($"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\n")
                .Append($"Content-Type: {contentType}\r\nContent-Length: {contentLength}\r\n")
                .Append(authorization is null ? "" : $"Authorization: {authorization}\r\n")
                .Append("\r\n");
            await connection.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
            return new RawRequest(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="bytesPerTick"/> bytes of body every <paramref name="tick"/> until
    /// <paramref name="total"/> are sent, the server answers, or <paramref name="limit"/> passes.
    /// </summary>
    /// <returns>How many bytes were sent.</returns>
    public async Task<int> TrickleAsync(int total, int bytesPerTick, TimeSpan tick, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var chunk = Encoding.ASCII.GetBytes(new string('a', bytesPerTick));
        var sent = 0;
        try
        {
            while (sent < total && !Answer.IsCompleted)
            {
                var next = Math.Min(bytesPerTick, total - sent);
                await _stream.WriteAsync(chunk.AsMemory(0, next), timeout.Token);
                sent += next;
                await Task.WhenAny(Answer, Task.Delay(tick, timeout.Token));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The limit passed, or the server closed the connection: either way the sending is over.
        }

        return sent;
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Dispose();
        await Answer.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task<RawAnswer?> ReadAnswerAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        try
        {
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(buffer) == 0)
                {
                    return null;
                }

                head.Append((char)buffer[0]);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            return null;
        }

        var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = (HttpStatusCode)int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new RawAnswer(status, headers);
    }
}

/// <summary>The status and headers of an answer to a <see cref="RawRequest"/>.</summary>
internal sealed record RawAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers);
