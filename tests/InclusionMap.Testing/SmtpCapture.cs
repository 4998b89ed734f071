using MimeKit;

namespace InclusionMap.Testing;

/// <summary>
/// A real SMTP server (npm <c>smtp-server</c>, <c>tests/smtp-capture</c>) on a free loopback port, without TLS, requiring
/// <see cref="UserName"/>/<see cref="Password"/>; every message it receives is kept and read back with MimeKit.
/// </summary>
public sealed class SmtpCapture : IAsyncDisposable
{
    private readonly NodeServer _server;
    private readonly string _directory;

    private SmtpCapture(NodeServer server, string directory)
    {
        _server = server;
        _directory = directory;
    }

    public const string UserName = "inclusionmap";
    public const string Password = "smtp-test-password";

    public int Port => _server.Ready.GetProperty("port").GetInt32();

    /// <summary>The settings that send InclusionMap's mail here (<c>InclusionMap:Mail:Smtp:*</c>).</summary>
    public Dictionary<string, string?> Settings(string password = Password) => new()
    {
        ["InclusionMap:Mail:Smtp:Host"] = "127.0.0.1",
        ["InclusionMap:Mail:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["InclusionMap:Mail:Smtp:Security"] = "None",
        ["InclusionMap:Mail:Smtp:UserName"] = UserName,
        ["InclusionMap:Mail:Smtp:Password"] = password,
    };

    public static async Task<SmtpCapture> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("im-smtp-").FullName;
        return new SmtpCapture(await NodeServer.StartAsync("smtp-capture", directory, UserName, Password), directory);
    }

    /// <summary>The next message the server receives (within 30 s), with the envelope's recipients and the user that sent it.</summary>
    public async Task<(MimeMessage Message, string[] To, string? User)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = await _server.Events.ReadAsync(timeout.Token);
        var message = await MimeMessage.LoadAsync(received.GetProperty("file").GetString()!);
        return (message, received.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToArray(),
            received.GetProperty("user").GetString());
    }

    /// <summary>Whether a message arrived without waiting.</summary>
    public bool TryNext(out string? file)
    {
        file = _server.Events.TryRead(out var received) ? received.GetProperty("file").GetString() : null;
        return file is not null;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
