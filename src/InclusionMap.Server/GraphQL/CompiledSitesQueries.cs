using GraphQL.Transport;
using GraphQLParser.AST;
using InclusionMap.Data.Sites;
using Microsoft.Extensions.Caching.Memory;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The direct plans of the documents seen (null for those the engine answers), keyed by query text and operation name,
/// in the bounded memory of GraphQL documents.
/// </summary>
public sealed class CompiledSitesQueries(GraphQLDocumentMemory memory)
{
    /// <summary>Requests answered by a plan (for tests and diagnostics).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    private long _answered;

    /// <summary>Answers <paramref name="request"/> into <paramref name="body"/> with its plan; false when the engine must.</summary>
    public async Task<bool> TryAnswerAsync(GraphQLRequest request, IServiceProvider services, MemoryStream body, CancellationToken ct)
    {
        if (!memory.Cache.TryGetValue(Key(request), out CompiledSitesQuery? plan) || plan is null
            || !await plan.TryAnswerAsync(request, services.GetRequiredService<SiteQuery>(), body, ct))
            return false;
        Interlocked.Increment(ref _answered);
        return true;
    }

    /// <summary>After the engine ran <paramref name="request"/> without errors: makes or widens its plan.</summary>
    public void Learn(GraphQLRequest request, GraphQLDocument document)
    {
        var plan = memory.Cache.GetOrCreate(Key(request), entry =>
        {
            entry.Size = GraphQLDocumentMemory.SizeOf(request.Query!);
            return CompiledSitesQuery.TryCompile(document, request.OperationName);
        });
        plan?.Accepted(request.Variables);
    }

    private static (string, string, string?) Key(GraphQLRequest request) => ("plan", request.Query!, request.OperationName);
}
