using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Keeps parsed documents, keyed by query text, so a repeated query skips parsing. Every validation rule runs again on
/// each request: the cost limits depend on the variables (the same document with <c>first: 5</c> and <c>first: 100</c>).
/// Bounded by the total length of the query texts (<see cref="CacheOptions.GraphQLDocumentMegabytes"/>, shared with the
/// direct plans).
/// </summary>
public sealed class ParsedDocumentCache(GraphQLDocumentMemory memory) : IConfigureExecution
{
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is null) return await next(options);
        var hit = memory.Cache.TryGetValue(("document", options.Query), out GraphQLDocument? document);
        if (hit) options.Document = document;
        var result = await next(options);
        if (!hit && result.Executed && result.Document is not null)
        {
            memory.Cache.Set(("document", options.Query), result.Document,
                new MemoryCacheEntryOptions { Size = GraphQLDocumentMemory.SizeOf(options.Query) });
        }
        return result;
    }
}
