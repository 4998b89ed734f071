namespace InclusionMap.Client;

/// <summary>How <see cref="InclusionMapClient"/> talks to the server.</summary>
public sealed class InclusionMapClientOptions
{
    /// <summary>
    /// GET (the default) puts <c>query</c>, <c>variables</c> and <c>operationName</c> in the URL, so the server's output
    /// cache, ETags and any HTTP cache on the way answer repeated questions; POST sends them as a JSON body and is never
    /// cached. A GET whose URL would be longer than <see cref="MaxGetUrlLength"/> (a large <c>within</c> polygon) is
    /// sent as POST.
    /// </summary>
    public HttpMethod Method { get; init; } = HttpMethod.Get;

    /// <summary>Longest URL sent by GET (servers and proxies commonly refuse request lines above 8 KB).</summary>
    public int MaxGetUrlLength { get; init; } = 8_000;

    /// <summary>The path of the endpoint, relative to the HttpClient's BaseAddress.</summary>
    public string Path { get; init; } = "graphql";

    /// <summary>The server's cost limit per document (docs/api-graphql.md): the paging helpers size pages to stay within it.</summary>
    public int MaxComplexity { get; init; } = 2_500;

    /// <summary>The server's largest page (<c>first</c>) of sites and communes.</summary>
    public int MaxPageSize { get; init; } = 100;
}
