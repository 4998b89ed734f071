using System.Text;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>
/// One hostile request, as the exact bytes sent on the wire (so that it can hold what HTTP clients refuse to send:
/// invalid UTF-8, NUL bytes, broken framing), and the class of answer it must get. Every request but the raw ones asks
/// the server to close the connection after answering.
/// </summary>
public sealed record HostileRequest(string Name, byte[] Wire, Answer Expected)
{
    public override string ToString() => Name;

    /// <summary>The request as text, for telling a leak from an echo of what was sent.</summary>
    public string Text => Encoding.Latin1.GetString(Wire);

    public static HostileRequest Get(string name, string target, Answer expected = Answer.Refused, params string[] headers) =>
        new(name, Message("GET", target, headers, null), expected);

    public static HostileRequest Method(string name, string method, string target, Answer expected = Answer.Refused,
        params string[] headers) =>
        new(name, Message(method, target, headers, null), expected);

    public static HostileRequest Post(string name, string target, string? contentType, byte[] body, Answer expected = Answer.Refused,
        params string[] headers) =>
        new(name, Message("POST", target, contentType is null ? headers : [$"Content-Type: {contentType}", .. headers], body), expected);

    public static HostileRequest Post(string name, string target, string? contentType, string body, Answer expected = Answer.Refused,
        params string[] headers) =>
        Post(name, target, contentType, Encoding.UTF8.GetBytes(body), expected, headers);

    /// <summary>Bytes sent as they are: the test writes the whole request, framing included.</summary>
    public static HostileRequest Raw(string name, byte[] bytes, Answer expected) => new(name, bytes, expected);

    /// <summary>Bytes sent as they are, from text whose characters are all below 256 (each one byte).</summary>
    public static HostileRequest Raw(string name, string latin1, Answer expected) => new(name, Encoding.Latin1.GetBytes(latin1), expected);

    private static byte[] Message(string method, string target, IEnumerable<string> headers, byte[]? body)
    {
        // A space or a control character would end or break the request line: such a request is written with Raw.
        if (target.Any(c => c <= ' ' || c >= 0x7F)) throw new ArgumentException($"'{target}' must be written with Raw.", nameof(target));
        var head = new StringBuilder().Append(method).Append(' ').Append(target)
            .Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var header in headers) head.Append(header).Append("\r\n");
        if (body is not null) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>Bytes of a string that may hold lone surrogates or anything else: UTF-8 where valid, raw where not.</summary>
    public static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p switch
        {
            string s => Encoding.UTF8.GetBytes(s),
            byte[] b => b,
            byte b => [b],
            int i => [(byte)i],
            _ => throw new ArgumentException(p.GetType().Name),
        })];
}
