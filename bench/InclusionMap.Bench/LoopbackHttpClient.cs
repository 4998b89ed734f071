using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace InclusionMap.Bench;

/// <summary>
/// A minimal HTTP/1.1 client over one kept-alive TCP connection, for latency samples: the request's bytes are built
/// before the clock starts, written in one send, and the response is read to its last byte (Content-Length or chunked).
/// It does per request what <c>wrk</c> does, and about as little as Npgsql does for the SQL floor beside it. The
/// framework's <see cref="HttpClient"/> is a general client (header collections, handler pipeline, diagnostics) and
/// adds measurable time to every request (the notes of docs/benchmarks.md give the figure).
/// </summary>
public sealed class LoopbackHttpClient(Uri baseUri) : IDisposable
{
    private Socket? _socket;
    private byte[] _buffer = new byte[64 * 1024];

    /// <summary>The bytes of a request, built before the clock starts.</summary>
    public byte[] Encode(BenchRequest request)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture,
                $"{request.Method} {request.PathAndQuery.Replace(" ", "%20", StringComparison.Ordinal)} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {baseUri.Authority}\r\n");
        if (request.JsonBody is { } body)
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n");
        var bytes = Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
        return request.JsonBody is null ? bytes : [.. bytes, .. request.JsonBody];
    }

    /// <summary>Sends encoded request bytes and reads the whole response.</summary>
    public async Task<BenchResponse> SendAsync(byte[] request)
    {
        if (_socket is null)
        {
            _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await _socket.ConnectAsync(baseUri.Host, baseUri.Port);
        }
        await _socket.SendAsync(request);
        int length = 0, headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0) length = await ReceiveAsync(length);
        var head = Encoding.ASCII.GetString(_buffer, 0, headerEnd).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string? Header(string name) => head.Skip(1)
            .Where(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(h => h[(name.Length + 1)..].Trim())
            .FirstOrDefault();
        var start = headerEnd + 4;
        byte[] body;
        if (Header("Content-Length") is { } contentLength)
        {
            var end = start + int.Parse(contentLength, CultureInfo.InvariantCulture);
            while (length < end) length = await ReceiveAsync(length);
            body = _buffer[start..end];
        }
        else if (string.Equals(Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new List<byte>();
            var position = start;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = _buffer.AsSpan(position, length - position).IndexOf("\r\n"u8)) < 0) length = await ReceiveAsync(length);
                var size = int.Parse(Encoding.ASCII.GetString(_buffer, position, lineEnd).Split(';')[0], NumberStyles.HexNumber,
                    CultureInfo.InvariantCulture);
                position += lineEnd + 2;
                // The chunk and its CRLF (the last, empty chunk: the CRLF ending the message, no trailers expected).
                while (length < position + size + 2) length = await ReceiveAsync(length);
                decoded.AddRange(_buffer.AsSpan(position, size));
                position += size + 2;
                if (size == 0) break;
            }
            body = [.. decoded];
        }
        else throw new InvalidOperationException("A response without Content-Length or chunked body: " + head[0]);
        if (string.Equals(Header("Connection"), "close", StringComparison.OrdinalIgnoreCase)) Reset();
        return new BenchResponse(status, Header("Content-Type"), body);
    }

    private async Task<int> ReceiveAsync(int length)
    {
        if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await _socket!.ReceiveAsync(_buffer.AsMemory(length));
        if (read == 0)
        {
            Reset();
            throw new InvalidOperationException("The server closed the connection mid-response.");
        }
        return length + read;
    }

    private void Reset()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose() => Reset();
}
