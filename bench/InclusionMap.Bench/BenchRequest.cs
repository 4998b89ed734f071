namespace InclusionMap.Bench;

/// <summary>One HTTP request of a latency probe: what both HTTP clients of the harness send.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="PathAndQuery">The request target; spaces are sent as <c>%20</c>.</param>
/// <param name="JsonBody">A POST body, serialized before the clock starts and sent with its length, as browsers send it.</param>
public sealed record BenchRequest(string Method, string PathAndQuery, byte[]? JsonBody = null)
{
    public HttpRequestMessage ToHttpRequestMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        if (JsonBody is null) return message;
        // Not JsonContent: it serializes while sending and sends a chunked body, which the server reads in more steps.
        message.Content = new ByteArrayContent(JsonBody);
        message.Content.Headers.ContentType = new("application/json");
        return message;
    }
}
