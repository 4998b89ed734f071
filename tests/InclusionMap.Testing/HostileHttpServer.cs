using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InclusionMap.Testing;

/// <summary>
/// A misbehaving HTTP/1.1 server on 127.0.0.1: a raw <see cref="TcpListener"/>, so a test decides every byte. Each request's
/// path goes to the script, which writes whatever it likes on the connection (use <see cref="HeadAsync"/> for the status
/// line and headers); the connection is then closed. A script's writes fail quietly once the client has gone.
/// </summary>
public sealed class HostileHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, Stream, CancellationToken, Task> _script;
    private readonly Task _accepting;

    public HostileHttpServer(Func<string, Stream, CancellationToken, Task> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>
    /// A server of <paramref name="content"/> that misbehaves by path (the first segment; the rest names the file):
    /// <c>/cd-plain/…</c>, <c>/cd-star/…</c>, <c>/cd-absolute/…</c> send it with a <c>Content-Disposition</c> name that
    /// climbs out of any folder (<c>../../escaped-plain.json</c>, <c>filename*=UTF-8''..%2F..%2Fescaped-star.json</c>) or
    /// is <paramref name="absoluteTarget"/>; <c>/moved/…</c> redirects to <c>/cd-star/other-name.json</c>;
    /// <c>/truncated/…</c> sends half of what its Content-Length announces and hangs up; <c>/short-length/…</c> announces
    /// half of what it sends; <c>/declared-too-large/…</c> announces <paramref name="tooLarge"/> bytes; <c>/chunked-too-large/…</c>
    /// sends a thousand copies without a Content-Length; <c>/trickle/…</c> sends a byte every 100 ms; anything else is a 404.
    /// </summary>
    public static HostileHttpServer Downloads(byte[] content, string absoluteTarget, long tooLarge) => new(async (path, stream, ct) =>
    {
        var length = $"Content-Length: {content.Length}";
        switch (path.Split('/')[1])
        {
            case "cd-plain":
                await HeadAsync(stream, "200 OK", length, "Content-Disposition: attachment; filename=\"../../escaped-plain.json\"");
                await stream.WriteAsync(content, ct);
                break;
            case "cd-star":
                await HeadAsync(stream, "200 OK", length, "Content-Disposition: attachment; filename*=UTF-8''..%2F..%2Fescaped-star.json");
                await stream.WriteAsync(content, ct);
                break;
            case "cd-absolute":
                await HeadAsync(stream, "200 OK", length, $"Content-Disposition: attachment; filename=\"{absoluteTarget}\"");
                await stream.WriteAsync(content, ct);
                break;
            case "moved":
                await HeadAsync(stream, "302 Found", "Location: /cd-star/other-name.json", "Content-Length: 0");
                break;
            case "truncated":
                await HeadAsync(stream, "200 OK", length);
                await stream.WriteAsync(content.AsMemory(0, content.Length / 2), ct);
                break;
            case "short-length":
                await HeadAsync(stream, "200 OK", $"Content-Length: {content.Length / 2}");
                await stream.WriteAsync(content, ct);
                break;
            case "declared-too-large":
                await HeadAsync(stream, "200 OK", $"Content-Length: {tooLarge}");
                await stream.WriteAsync(content, ct);
                break;
            case "chunked-too-large":
                await HeadAsync(stream, "200 OK", "Transfer-Encoding: chunked");
                var chunk = Encoding.ASCII.GetBytes($"{content.Length:x}\r\n").Concat(content).Concat("\r\n"u8.ToArray()).ToArray();
                for (var i = 0; i < 1000; i++) await stream.WriteAsync(chunk, ct);
                break;
            case "trickle":
                await HeadAsync(stream, "200 OK", length);
                for (var i = 0; i < content.Length; i++)
                {
                    await stream.WriteAsync(content.AsMemory(i, 1), ct);
                    await stream.FlushAsync(ct);
                    await Task.Delay(100, ct);
                }
                break;
            default:
                await HeadAsync(stream, "404 Not Found", "Content-Length: 0");
                break;
        }
    });

    /// <summary>Every path requested, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    /// <summary>Writes a status line and headers (each "Name: value"), with <c>Connection: close</c>.</summary>
    public static Task HeadAsync(Stream stream, string status, params string[] headers)
    {
        var lines = string.Concat(headers.Select(h => h + "\r\n"));
        return stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{lines}Connection: close\r\n\r\n")).AsTask();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16384
                       && await stream.ReadAsync(one, _stop.Token) == 1)
                    head.Append((char)one[0]);
                var path = head.ToString().Split(' ') is [_, var target, ..] ? target : "/";
                Requests.Enqueue(path);
                await _script(path, stream, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (as it should from a hostile server), or the server is stopping.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
