namespace InclusionMap.Server.Tests.Hostile;

/// <summary>
/// An answer as it came off the wire: status (0 when the server closed without one), headers, body (de-chunked), time
/// taken.
/// </summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan Elapsed)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
