using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Keeps parsed documents, keyed by query text, so a repeated query skips parsing and validation (only the rules that
/// depend on the request, such as the cost limits, run again). Bounded by the total length of the query texts
/// (<see cref="CacheOptions.GraphQLDocumentMegabytes"/>, shared with the direct plans).
/// </summary>
public sealed class ParsedDocumentCache(GraphQLDocumentMemory memory) : IConfigureExecution
{
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is null) return await next(options);
        var hit = memory.Cache.TryGetValue(("document", options.Query), out GraphQLDocument? document);
        if (hit)
        {
            options.Document = document;
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
        }
        var result = await next(options);
        if (!hit && result.Executed && result.Document is not null)
            memory.Cache.Set(("document", options.Query), result.Document, new MemoryCacheEntryOptions { Size = GraphQLDocumentMemory.SizeOf(options.Query) });
        return result;
    }
}
