using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The memory of the GraphQL documents seen (parsed documents, direct plans), bounded by the length of their query
/// texts: clients choose the queries, so the bound is on what they send.
/// </summary>
public sealed class GraphQLDocumentMemory(IOptions<CacheOptions> options) : IDisposable
{
    public MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = options.Value.GraphQLDocumentMegabytes * 1024L * 1024 });

    /// <summary>An entry's size: its query text in bytes (UTF-16) and the structures made from it, about as many again.</summary>
    public static long SizeOf(string query) => 4L * query.Length + 256;

    public void Dispose() => Cache.Dispose();
}
