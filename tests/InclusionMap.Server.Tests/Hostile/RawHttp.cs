using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>HTTP/1.1 over a bare socket: sends bytes no HTTP client library would, reads the answer until the server closes.</summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(limit);
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server.Host, server.Port, deadline.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request, deadline.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything (headers over its limit): read what it said.
        }
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0) received.Write(buffer, 0, read);
        }
        catch (IOException) when (received.Length > 0)
        {
            // Reset after the answer (unread request bytes): the answer is complete enough to judge.
        }
        return Parse(received.ToArray(), watch.Elapsed);
    }

    private static RawResponse Parse(byte[] bytes, TimeSpan elapsed)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return new RawResponse(0, new Dictionary<string, string>(), text, elapsed);
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = bytes.AsSpan(Encoding.Latin1.GetByteCount(text[..(end + 4)]));
        var chunked = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        var content = chunked
            ? Dechunk(body.ToArray())
            : body.ToArray();
        return new RawResponse(status, headers, Encoding.UTF8.GetString(content), elapsed);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = Array.IndexOf(body, (byte)'\n', position);
            if (lineEnd < 0) break;
            var sizeText = Encoding.ASCII.GetString(body, position, lineEnd - position).Trim().Split(';')[0];
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0) break;
            output.Write(body, lineEnd + 1, Math.Min(size, body.Length - lineEnd - 1));
            position = lineEnd + 1 + size + 2;
        }
        return output.ToArray();
    }
}
