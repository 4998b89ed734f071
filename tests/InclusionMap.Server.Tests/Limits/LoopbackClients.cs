using System.Net;
using System.Net.Sockets;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// Clients that connect to the server from a chosen loopback address (any of 127.0.0.0/8 is this machine), so a test
/// speaks as several distinct client addresses over real TCP, each with its own budget.
/// </summary>
public static class LoopbackClients
{
    public static HttpClient From(this ServerFixture server, string address)
    {
        var source = IPAddress.Parse(address);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = server.BaseAddress };
    }
}
