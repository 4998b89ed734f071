using System.Buffers;
using System.Text.Json;
using InclusionMap.Server.GraphQL;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace InclusionMap.Server.Limits;

/// <summary>
/// Tells the class of a request (<see cref="RequestClass"/>) before any limit is taken: by its path, and for
/// <c>/graphql</c> by its document (a document that asks for <c>coverage</c> anywhere is an analysis). A POST's body is
/// read here, within the endpoint's own size limit, and left for the endpoint to read again.
/// </summary>
internal static class RequestClassifier
{
    private static readonly object ItemKey = new();

    /// <summary>The class found by <see cref="ClassifyAsync"/> (by path alone if it has not run).</summary>
    public static RequestClass Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var value) && value is RequestClass found ? found : ByPath(http.Request.Path);

    public static async Task ClassifyAsync(HttpContext http) => http.Items[ItemKey] = await ClassAsync(http);

    private static RequestClass ByPath(PathString path) =>
        path.StartsWithSegments("/health") ? RequestClass.Unlimited
        : path.StartsWithSegments("/tiles") ? RequestClass.Tiles
        : path.StartsWithSegments("/coverage") ? RequestClass.Analysis
        : path.StartsWithSegments("/maps") ? RequestClass.Maps
        : RequestClass.Search;

    private static async Task<RequestClass> ClassAsync(HttpContext http)
    {
        var request = http.Request;
        if (HttpMethods.IsPost(request.Method) && Moderation.ModerationPages.IsContribution(request.Path)) return RequestClass.Contribution;
        if (!request.Path.StartsWithSegments("/graphql")) return ByPath(request.Path);
        var query = HttpMethods.IsPost(request.Method)
            ? await PostedQueryAsync(request, http.RequestAborted)
            : request.Query["query"].ToString();
        return AsksForCoverage(query) ? RequestClass.Analysis : Contributes(query) ? RequestClass.Contribution : RequestClass.Search;
    }

    /// <summary>The mutations anyone may send: each counts against the small budget of contributions.</summary>
    public static readonly IReadOnlySet<string> ContributionFields =
        new HashSet<string>(StringComparer.Ordinal) { "reportProblem", "suggestPlace", "claimSite" };

    /// <summary>
    /// Whether a document holds a mutation selecting a contribution field (aliases and fragments included). Only a
    /// document naming one is parsed; one that does not parse is left to the endpoint.
    /// </summary>
    public static bool Contributes(string? query)
    {
        if (string.IsNullOrEmpty(query) || !ContributionFields.Any(f => query.Contains(f, StringComparison.Ordinal))) return false;
        try
        {
            var document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.All });
            var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToList();
            return document.Definitions.OfType<GraphQLOperationDefinition>().Any(o => o.Operation == OperationType.Mutation)
                && (fragments.Any(f => Names(f.SelectionSet, ContributionFields))
                    || document.Definitions.OfType<GraphQLOperationDefinition>().Any(o => Names(o.SelectionSet, ContributionFields)));
        }
        catch (GraphQLParserException)
        {
            return false;
        }
    }

    private static bool Names(GraphQLSelectionSet? selections, IReadOnlySet<string> names) =>
        selections is not null && selections.Selections.Any(s => s switch
        {
            GraphQLField field => names.Contains(field.Name.StringValue),
            GraphQLInlineFragment fragment => Names(fragment.SelectionSet, names),
            _ => false,
        });

    /// <summary>
    /// The <c>query</c> of a posted GraphQL request; null when the body is too large or not a JSON object (the endpoint
    /// refuses those).
    /// </summary>
    private static async Task<string?> PostedQueryAsync(HttpRequest request, CancellationToken ct)
    {
        const int limit = GraphQLApi.MaxBodyBytes;
        if (request.ContentLength > limit) return null;
        request.EnableBuffering(bufferThreshold: limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= limit && (read = await request.Body.ReadAsync(buffer.AsMemory(length, limit + 1 - length), ct)) > 0)
                length += read;
            request.Body.Position = 0;
            return length > limit ? null : QueryOf(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? QueryOf(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isQuery = reader.ValueTextEquals("query"u8);
                if (!reader.Read()) return null;
                if (isQuery) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (!reader.TrySkip()) return null;
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not valid UTF-8 (GetString cannot transcode it): the endpoint refuses it.
            return null;
        }
    }

    /// <summary>
    /// Whether a document selects <c>coverage</c> in any operation or fragment. Only a document that names it is parsed;
    /// one that does not parse is left to the endpoint, which refuses it without running anything.
    /// </summary>
    public static bool AsksForCoverage(string? query)
    {
        if (string.IsNullOrEmpty(query) || !query.Contains(AnalysisFields.CoverageField, StringComparison.Ordinal)) return false;
        try
        {
            var document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.All });
            return document.Definitions.OfType<IHasSelectionSetNode>().Any(d => Selects(d.SelectionSet));
        }
        catch (GraphQLParserException)
        {
            return false;
        }
    }

    private static bool Selects(GraphQLSelectionSet? selections) => selections is not null && selections.Selections.Any(s => s switch
    {
        GraphQLField field => field.Name.Value == AnalysisFields.CoverageField || Selects(field.SelectionSet),
        GraphQLInlineFragment fragment => Selects(fragment.SelectionSet),
        _ => false,
    });
}
