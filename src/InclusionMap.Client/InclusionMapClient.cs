using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InclusionMap.Client;

/// <summary>
/// The InclusionMap GraphQL API for .NET applications. Give it an <see cref="HttpClient"/> whose BaseAddress is the
/// server (e.g. https://inclusionmap.example/). Its types and one method per root field (<c>SitesAsync</c>,
/// <c>CommuneAsync</c>, <c>CoverageAsync</c>…) are generated from docs/schema.graphql; each method asks for the fields of
/// a <see cref="Selection{T}"/> (by default every field, see <see cref="Selection{T}.Default"/>). Queries go by GET
/// unless <see cref="InclusionMapClientOptions.Method"/> says POST. Errors become <see cref="InclusionMapException"/>.
/// </summary>
public sealed partial class InclusionMapClient(HttpClient http, InclusionMapClientOptions? options = null)
{
    private const string GraphQLResponseJson = "application/graphql-response+json";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly InclusionMapClientOptions _options = options ?? new InclusionMapClientOptions();

    /// <summary>
    /// Every site of a search, page after page, as the caller consumes them. Without <c>First</c>, pages are as large as
    /// the server's cost limit allows for the selection (at most 100).
    /// </summary>
    public IAsyncEnumerable<SiteEdge> AllSitesAsync(SitesArguments? arguments = null, Selection<Site>? select = null,
        CancellationToken cancellationToken = default)
    {
        arguments ??= new SitesArguments();
        var node = select ?? Selection<Site>.DefaultForLists;
        var first = arguments.First ?? PageSize("sites", arguments.Given(), typeof(SiteConnection), node.Node);
        return AllAsync(arguments.After, async after =>
        {
            var page = await SitesAsync(arguments with { First = first, After = after }, node, cancellationToken).ConfigureAwait(false);
            return (page.Edges, page.PageInfo);
        }, cancellationToken);
    }

    /// <summary>Every commune of a listing, page after page (e.g. all the communes of a département).</summary>
    public IAsyncEnumerable<CommuneEdge> AllCommunesAsync(CommunesArguments? arguments = null, Selection<Commune>? select = null,
        CancellationToken cancellationToken = default)
    {
        arguments ??= new CommunesArguments();
        var node = select ?? Selection<Commune>.DefaultForLists;
        var first = arguments.First ?? PageSize("communes", arguments.Given(), typeof(CommuneConnection), node.Node);
        return AllAsync(arguments.After, async after =>
        {
            var page = await CommunesAsync(arguments with { First = first, After = after }, node, cancellationToken).ConfigureAwait(false);
            return (page.Edges, page.PageInfo);
        }, cancellationToken);
    }

    /// <summary>
    /// Any query (fields with arguments, aliases, several root fields at once): the <c>data</c> member deserialised as
    /// <typeparamref name="T"/> with the generated types' JSON names; errors become <see cref="InclusionMapException"/>.
    /// </summary>
    public async Task<T> QueryAsync<T>(string query, IReadOnlyDictionary<string, object?>? variables = null, string? operationName = null,
        CancellationToken cancellationToken = default)
    {
        using var answer = await SendAsync(query, variables, operationName, cancellationToken).ConfigureAwait(false);
        return Read<T>(answer.RootElement.GetProperty("data"));
    }

    /// <summary>
    /// The largest page whose cost, as the server counts it (the root field and its costly arguments given, then each
    /// item), stays within the server's limit; at most the largest page size.
    /// </summary>
    internal int PageSize(string rootField, IEnumerable<string> given, Type connection, SelectionNode node)
    {
        var page = SelectionNode.Page(connection, node);
        var fixedCost = SchemaInfo.RootCost(rootField, given) + page.Cost(0);
        var perItem = Math.Max(0.1, page.Cost(1) - page.Cost(0));
        // A hair below the limit: the server adds the same weights in another order.
        var fits = (int)Math.Floor((_options.MaxComplexity - fixedCost - 1e-6) / perItem);
        return Math.Max(1, Math.Min(_options.MaxPageSize, fits));
    }

    private async Task<T> RunAsync<T>(Operation operation, SelectionNode? selection, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(operation.Document(selection), operation.Variables, operation.Name, cancellationToken)
            .ConfigureAwait(false);
        return Read<T>(answer.RootElement.GetProperty("data").GetProperty(operation.Field));
    }

    private static async IAsyncEnumerable<TEdge> AllAsync<TEdge>(string? after,
        Func<string?, Task<(IReadOnlyList<TEdge> Edges, PageInfo PageInfo)>> nextPage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (edges, pageInfo) = await nextPage(after).ConfigureAwait(false);
            foreach (var edge in edges) yield return edge;
            if (!pageInfo.HasNextPage || pageInfo.EndCursor is null) yield break;
            after = pageInfo.EndCursor;
        }
    }

    private static T Read<T>(JsonElement element)
    {
        try
        {
            return element.Deserialize<T>(_json)!;
        }
        catch (JsonException e)
        {
            throw new InclusionMapException([new GraphQLError(
                $"The answer does not fit the client's types (regenerate the client from the server's schema): {e.Message}", null)], 200);
        }
    }

    /// <summary>Sends the request and returns the answer's JSON when it has data and no errors.</summary>
    private async Task<JsonDocument> SendAsync(string query, IReadOnlyDictionary<string, object?>? variables, string? operationName,
        CancellationToken cancellationToken)
    {
        using var request = Request(query, variables is null ? null : JsonSerializer.Serialize(variables, _json), operationName);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(GraphQLResponseJson));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not (GraphQLResponseJson or "application/json"))
            throw Failure(status, $"the answer is not a GraphQL response ({mediaType ?? "no content type"}).");
        JsonDocument answer;
        try
        {
#if NET8_0_OR_GREATER
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
            answer = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw Failure(status, "the answer is not a GraphQL response (malformed JSON).");
        }
        var root = answer.RootElement;
        if (Member(root, "errors", JsonValueKind.Array) is { } errors && errors.GetArrayLength() > 0)
        {
            var list = errors.EnumerateArray().Select(Error).ToList();
            answer.Dispose();
            throw new InclusionMapException(list, status);
        }
        if (Member(root, "data", JsonValueKind.Object) is null)
        {
            answer.Dispose();
            throw Failure(status, "the answer has no data.");
        }
        return answer;
    }

    private HttpRequestMessage Request(string query, string? variables, string? operationName)
    {
        var path = _options.Path;
        if (_options.Method == HttpMethod.Get && path.Length + query.Length + (variables?.Length ?? 0) <= _options.MaxGetUrlLength)
        {
            var url = new StringBuilder(path).Append("?query=").Append(Uri.EscapeDataString(query));
            if (variables is not null) url.Append("&variables=").Append(Uri.EscapeDataString(variables));
            if (operationName is not null) url.Append("&operationName=").Append(Uri.EscapeDataString(operationName));
            if (url.Length <= _options.MaxGetUrlLength) return new HttpRequestMessage(HttpMethod.Get, url.ToString());
        }
        var body = new StringBuilder("{\"query\":").Append(JsonSerializer.Serialize(query, _json));
        if (variables is not null) body.Append(",\"variables\":").Append(variables);
        if (operationName is not null) body.Append(",\"operationName\":").Append(JsonSerializer.Serialize(operationName, _json));
        body.Append('}');
        return new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json"),
        };
    }

    private static GraphQLError Error(JsonElement error) => new(
        Member(error, "message", JsonValueKind.String)?.GetString() ?? error.ToString(),
        Member(error, "extensions", JsonValueKind.Object) is { } extensions
            ? Member(extensions, "code", JsonValueKind.String)?.GetString()
            : null);

    /// <summary>A member of a JSON object when it is there with the expected kind.</summary>
    private static JsonElement? Member(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var member) && member.ValueKind == kind
            ? member
            : null;

    private static InclusionMapException Failure(int status, string message) =>
        new([new GraphQLError($"HTTP {status}: {message}", null)], status);
}
