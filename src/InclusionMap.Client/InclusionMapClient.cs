using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InclusionMap.Client;

/// <summary>A place offering digital help, as the API returns it (national schema v1.0.2 fields in camelCase).</summary>
public sealed record Site
{
    public required string Id { get; init; }
    public required string Nom { get; init; }
    public string? Adresse { get; init; }
    public string? CodePostal { get; init; }
    public string? CommuneName { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? Telephone { get; init; }
    public IReadOnlyList<string> SiteWeb { get; init; } = [];
    public string? Horaires { get; init; }
    /// <summary>GraphQL enum values, e.g. <c>AIDE_AUX_DEMARCHES_ADMINISTRATIVES</c> (labels: <see cref="InclusionMapClient.VocabularyAsync"/>).</summary>
    public IReadOnlyList<string> Services { get; init; } = [];
    public IReadOnlyList<string> FraisACharge { get; init; } = [];
    public string? DepartementCode { get; init; }
}

/// <summary>A site of a search result with its distance to the query point (metres), when there is one.</summary>
public sealed record SiteResult(Site Site, double? DistanceMeters, string Cursor);

/// <summary>One page of a search.</summary>
public sealed record SitePage(IReadOnlyList<SiteResult> Sites, int TotalCount, bool HasNextPage, string? EndCursor);

/// <summary>Search options; null means "not filtered". Vocabulary values are the GraphQL enum names.</summary>
public sealed record SiteQuery
{
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public double? RadiusMeters { get; init; }
    public string? CommuneCode { get; init; }
    public string? DepartementCode { get; init; }
    public IReadOnlyList<string>? Services { get; init; }
    public IReadOnlyList<string>? Frais { get; init; }
    public DateTimeOffset? OpenAt { get; init; }
    public string? Search { get; init; }
}

/// <summary>One GraphQL error, with the API's stable code (e.g. <c>PAGE_SIZE_EXCEEDED</c>, <c>RADIUS_TOO_LARGE</c>).</summary>
public sealed record GraphQLError(string Message, string? Code);

/// <summary>The API answered with errors: <see cref="Errors"/> says which, with their codes.</summary>
public sealed class InclusionMapException(IReadOnlyList<GraphQLError> errors, int statusCode)
    : Exception(string.Join("; ", errors.Select(e => e.Code is null ? e.Message : $"{e.Code}: {e.Message}")))
{
    public IReadOnlyList<GraphQLError> Errors { get; } = errors;
    public int StatusCode { get; } = statusCode;
    public IEnumerable<string> Codes => Errors.Select(e => e.Code).OfType<string>();
}

/// <summary>
/// The InclusionMap GraphQL API for .NET sites and tools. Give it an <see cref="HttpClient"/> whose BaseAddress is the
/// server (e.g. https://inclusionmap.example/). Every call is one POST to <c>/graphql</c>.
/// </summary>
public sealed class InclusionMapClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private const string SiteFields = "id nom adresse codePostal communeName latitude longitude telephone siteWeb horaires services fraisACharge departementCode";

    private const string SitesQuery = $$"""
        query($near: GeoPointInput, $radius: Float, $commune: String, $departement: String, $services: [Service!], $frais: [FraisACharge!],
              $openAt: DateTime, $search: String, $first: Int, $after: String) {
          sites(near: $near, radiusMeters: $radius, communeCode: $commune, departementCode: $departement,
                services: $services, frais: $frais, openAt: $openAt, search: $search, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { cursor distanceMeters node { {{SiteFields}} } }
          }
        }
        """;

    /// <summary>The <paramref name="count"/> sites nearest to a point (at most 100), nearest first, optionally within a radius.</summary>
    public async Task<IReadOnlyList<SiteResult>> NearestSitesAsync(double latitude, double longitude, int count = 10, double? radiusMeters = null,
        IReadOnlyList<string>? services = null, CancellationToken cancellationToken = default) =>
        (await SearchAsync(new SiteQuery { Latitude = latitude, Longitude = longitude, RadiusMeters = radiusMeters, Services = services }, count, null, cancellationToken)).Sites;

    /// <summary>One page of a search; pass the previous page's <see cref="SitePage.EndCursor"/> as <paramref name="after"/>.</summary>
    public async Task<SitePage> SearchAsync(SiteQuery query, int first = 20, string? after = null, CancellationToken cancellationToken = default)
    {
        var variables = new Dictionary<string, object?>
        {
            ["near"] = query.Latitude is { } lat && query.Longitude is { } lon ? new { latitude = lat, longitude = lon } : null,
            ["radius"] = query.RadiusMeters, ["commune"] = query.CommuneCode, ["departement"] = query.DepartementCode,
            ["services"] = query.Services, ["frais"] = query.Frais, ["openAt"] = query.OpenAt?.ToString("o"), ["search"] = query.Search,
            ["first"] = first, ["after"] = after,
        };
        var data = await QueryAsync<SitesData>(SitesQuery, variables, cancellationToken);
        var sites = data.Sites;
        return new SitePage(sites.Edges.Select(e => new SiteResult(e.Node, e.DistanceMeters, e.Cursor)).ToList(),
            sites.TotalCount, sites.PageInfo.HasNextPage, sites.PageInfo.EndCursor);
    }

    /// <summary>Every site of a search, page after page (100 at a time), as the caller consumes them.</summary>
    public async IAsyncEnumerable<SiteResult> AllSitesAsync(SiteQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? after = null;
        do
        {
            var page = await SearchAsync(query, 100, after, cancellationToken);
            foreach (var site in page.Sites) yield return site;
            after = page.HasNextPage ? page.EndCursor : null;
        } while (after is not null);
    }

    /// <summary>A site by id, or null.</summary>
    public async Task<Site?> SiteAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync<SiteData>($"query($id: ID!) {{ site(id: $id) {{ {SiteFields} }} }}", new Dictionary<string, object?> { ["id"] = id }, cancellationToken)).Site;

    /// <summary>The official labels of a vocabulary (e.g. "services"): enum value → French label.</summary>
    public async Task<IReadOnlyDictionary<string, string>> VocabularyAsync(string vocabulary, CancellationToken cancellationToken = default)
    {
        if (!vocabulary.All(char.IsAsciiLetter)) throw new ArgumentException("A vocabulary name is letters only, e.g. services.", nameof(vocabulary));
        var data = await QueryAsync<JsonElement>($"{{ vocabularies {{ {vocabulary} {{ value label }} }} }}", null, cancellationToken);
        return data.GetProperty("vocabularies").GetProperty(vocabulary).EnumerateArray()
            .ToDictionary(e => e.GetProperty("value").GetString()!, e => e.GetProperty("label").GetString()!);
    }

    /// <summary>Any query: the <c>data</c> member deserialised as <typeparamref name="T"/>; errors become <see cref="InclusionMapException"/>.</summary>
    public async Task<T> QueryAsync<T>(string query, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = JsonContent.Create(new { query, variables }, options: Json) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        request.Headers.Accept.ParseAdd("application/json;q=0.9");
        using var response = await http.SendAsync(request, cancellationToken);
        Envelope<T>? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<Envelope<T>>(Json, cancellationToken);
        }
        catch (JsonException)
        {
            throw new InclusionMapException([new GraphQLError($"HTTP {(int)response.StatusCode}: the answer is not a GraphQL response.", null)], (int)response.StatusCode);
        }
        if (body?.Errors is { Count: > 0 } errors)
            throw new InclusionMapException(errors.Select(e => new GraphQLError(e.Message, e.Extensions?.Code)).ToList(), (int)response.StatusCode);
        if (body is null || body.Data is not { } data) throw new InclusionMapException([new GraphQLError($"HTTP {(int)response.StatusCode}: no data.", null)], (int)response.StatusCode);
        return data;
    }

    private sealed record Envelope<T>(T Data, List<ErrorBody>? Errors);
    private sealed record ErrorBody(string Message, ErrorExtensions? Extensions);
    private sealed record ErrorExtensions(string? Code);
    private sealed record SitesData(SitesConnection Sites);
    private sealed record SitesConnection(int TotalCount, PageInfo PageInfo, List<Edge> Edges);
    private sealed record PageInfo(bool HasNextPage, string? EndCursor);
    private sealed record Edge(string Cursor, double? DistanceMeters, Site Node);
    private sealed record SiteData(Site? Site);
}
