using System.Net.Http.Headers;
using System.Security.Cryptography;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using InclusionMap.Server.Accounts;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>/graphql</c>, following the GraphQL-over-HTTP specification: POST with <c>application/json</c>; GET with
/// <c>query</c>, <c>variables</c>, <c>operationName</c> (queries only: a mutation over GET is 405); answers
/// <c>application/graphql-response+json</c> (400 for a document that does not parse or validate) unless the client
/// only accepts <c>application/json</c> (then 200, the legacy behaviour). GET answers carry Cache-Control and an ETag.
/// A browser asking for HTML gets GraphiQL, served from our own files.
/// </summary>
public static class GraphQLApi
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const int MaxBodyBytes = 64 * 1024;
    public const string CorsPolicy = "public-read";

    /// <summary>Any page may read the API from a browser, without credentials.</summary>
    private static readonly CorsPolicy PublicRead = new CorsPolicyBuilder().AllowAnyOrigin().WithMethods("GET", "POST")
        .WithHeaders("Content-Type", "Accept", "If-None-Match").WithExposedHeaders("ETag").Build();

    public static IServiceCollection AddInclusionMapGraphQL(this IServiceCollection services)
    {
        services.AddScoped<PagePreload>();
        services.AddHttpContextAccessor(); // the trace id every error carries
        services.AddVocabularyEnums();
        services.AddSingleton<GraphQLDocumentMemory>();
        services.AddSingleton<CompiledSitesQueries>();
        services.AddSingleton<TerritoryFiguresCache>();
        services.AddOptions<GraphQLLimits>().BindConfiguration(GraphQLLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddGraphQL(b => b
            .AddSchema<InclusionMapSchema>()
            // French text stays readable in responses ("Guéret", not "Gu\u00e9ret").
            .AddSystemTextJson(o => o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
            .AddGraphTypes(typeof(InclusionMapSchema).Assembly)
            // Resolvers share the request's DbContext: run them one after the other.
            .AddExecutionStrategy<SerialExecutionStrategy>(OperationType.Query)
            .AddComplexityAnalyzer((o, sp) => QueryCost.Configure(o, sp.GetRequiredService<IOptions<GraphQLLimits>>().Value))
            .AddValidationRule<OneAnalysisPerRequestRule>(useForCachedDocuments: true)
            .AddValidationRule<TextArgumentsRule>()
            .AddErrorInfoProvider<CodedErrorInfoProvider>()
            .ConfigureExecution<ParsedDocumentCache>()
            .ConfigureExecution<DocumentSizeGuard>());
        services.AddOutputCache(o => o.AddPolicy(GetCachePolicy.Name, new GetCachePolicy()));
        services.AddCors(o => o.AddPolicy(CorsPolicy, PublicRead));
        return services;
    }

    public static IEndpointRouteBuilder MapGraphQLApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/graphql", GetAsync).RequireCors(CorsPolicy).CacheOutput(GetCachePolicy.Name).WithTags("GraphQL");
        app.MapPost("/graphql", PostAsync).RequireCors(CorsPolicy).WithTags("GraphQL").DisableAntiforgery();
        app.MapMethods("/graphql", ["PUT", "PATCH", "DELETE"], (HttpContext http) =>
        {
            http.Response.Headers.Allow = "GET, POST";
            return TypedResults.StatusCode(StatusCodes.Status405MethodNotAllowed);
        });
        return app;
    }

    private static async Task GetAsync(HttpContext http, IGraphQLTextSerializer serializer, IDocumentExecuter<ISchema> executer)
    {
        var query = http.Request.Query["query"].ToString();
        // GET is the public, cacheable path: a bearer token counts, a session cookie never does (no antiforgery token on GET).
        if (await AuthenticateAsync(http, serializer, allowSession: false) is not { } account) return;
        if (string.IsNullOrEmpty(query) && AcceptsHtml(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.SendFileAsync(Path.Combine(AppContext.BaseDirectory, "wwwroot", "graphiql.html"));
            return;
        }
        if (!TryChooseMediaType(http.Request, out var mediaType))
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable,
                "Accept application/graphql-response+json or application/json.", "NOT_ACCEPTABLE", GraphQLResponseJson);
            return;
        }
        if (string.IsNullOrEmpty(query))
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status400BadRequest,
                "The 'query' parameter is required.", "INVALID_REQUEST", mediaType);
            return;
        }
        Inputs? variables = null;
        var variablesText = http.Request.Query["variables"].ToString();
        if (!string.IsNullOrEmpty(variablesText))
        {
            try
            {
                variables = serializer.Deserialize<Inputs>(variablesText);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
            {
                await WriteErrorAsync(http, serializer, StatusCodes.Status400BadRequest,
                    "'variables' is not a JSON object.", "INVALID_REQUEST", mediaType);
                return;
            }
        }
        var request = new GraphQLRequest
        {
            Query = query, Variables = variables, OperationName = NullIfEmpty(http.Request.Query["operationName"].ToString()),
        };
        if (IsMutation(request))
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, serializer, StatusCodes.Status405MethodNotAllowed,
                "Mutations must be sent with POST.", "METHOD_NOT_ALLOWED", mediaType);
            return;
        }
        await ExecuteAsync(http, serializer, executer, request, mediaType, account, cacheable: !account.IsAuthenticated);
    }

    private static async Task PostAsync(HttpContext http, IGraphQLTextSerializer serializer, IDocumentExecuter<ISchema> executer)
    {
        if (await AuthenticateAsync(http, serializer, allowSession: true) is not { } account) return;
        if (!TryChooseMediaType(http.Request, out var mediaType))
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable,
                "Accept application/graphql-response+json or application/json.", "NOT_ACCEPTABLE", GraphQLResponseJson);
            return;
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType) || contentType.MediaType != "application/json")
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status415UnsupportedMediaType,
                "POST requests must have Content-Type: application/json.", "UNSUPPORTED_MEDIA_TYPE", mediaType);
            return;
        }
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status413PayloadTooLarge,
                $"The request body is limited to {MaxBodyBytes / 1024} KB.", "REQUEST_TOO_LARGE", mediaType);
            return;
        }
        // Read at most the limit, whatever Content-Length claims (chunked bodies have none).
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                await WriteErrorAsync(http, serializer, StatusCodes.Status413PayloadTooLarge,
                    $"The request body is limited to {MaxBodyBytes / 1024} KB.", "REQUEST_TOO_LARGE", mediaType);
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(buffer, http.RequestAborted);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException
            or NotSupportedException)
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status400BadRequest,
                "The body is not a GraphQL request (a JSON object with 'query').", "INVALID_REQUEST", mediaType);
            return;
        }
        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            await WriteErrorAsync(http, serializer, StatusCodes.Status400BadRequest, "'query' is required.", "INVALID_REQUEST", mediaType);
            return;
        }
        await ExecuteAsync(http, serializer, executer, request, mediaType, account, cacheable: false);
    }

    /// <summary>
    /// Who the request comes from (<see cref="RequestAccount"/>); null after answering 401 for a token that does not work.
    /// </summary>
    private static async Task<RequestAccount?> AuthenticateAsync(HttpContext http, IGraphQLTextSerializer serializer, bool allowSession)
    {
        var account = await RequestAccount.AuthenticateAsync(http, allowSession);
        if (account is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await WriteErrorAsync(http, serializer, StatusCodes.Status401Unauthorized,
                "The API token is unknown, expired or revoked.", "UNAUTHENTICATED",
                TryChooseMediaType(http.Request, out var mediaType) ? mediaType : GraphQLResponseJson);
        }
        return account;
    }

    private static async Task ExecuteAsync(HttpContext http, IGraphQLTextSerializer serializer, IDocumentExecuter<ISchema> executer,
        GraphQLRequest request, string mediaType, RequestAccount account, bool cacheable)
    {
        var body = new MemoryStream();
        var plans = http.RequestServices.GetRequiredService<CompiledSitesQueries>();
        if (await plans.TryAnswerAsync(request, http.RequestServices, body, http.RequestAborted))
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = mediaType + "; charset=utf-8";
            await WriteBodyAsync(http, body, cacheable);
            return;
        }
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            Variables = request.Variables,
            Extensions = request.Extensions,
            OperationName = request.OperationName,
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
            User = account.User,
            UserContext = new Dictionary<string, object?> { [RequestAccount.UserContextKey] = account },
            UnhandledExceptionDelegate = context => GraphQLFailures.HandleAsync(context, http),
        });
        // graphql-response+json: a request error (the document does not parse or validate) is 400. application/json: always 200.
        http.Response.StatusCode = StatusOf(result, mediaType);
        if (http.Response.StatusCode == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(body, result, http.RequestAborted);
        var succeeded = result.Executed && result.Errors is not { Count: > 0 };
        if (succeeded && result.Document is not null) plans.Learn(request, result.Document);
        await WriteBodyAsync(http, body, cacheable && succeeded);
    }

    /// <summary>
    /// graphql-response+json: 400 for a request error (the document does not parse or validate); 401 or 403 when nothing
    /// was answered (<c>data</c> is null) because the request is not signed in or its account may not do what it asks
    /// (a refused write); else 200. application/json: always 200 (the legacy behaviour).
    /// </summary>
    private static int StatusOf(ExecutionResult result, string mediaType)
    {
        if (mediaType != GraphQLResponseJson) return StatusCodes.Status200OK;
        if (!result.Executed) return StatusCodes.Status400BadRequest;
        if (result.Data is not null || result.Errors is not { Count: > 0 } errors) return StatusCodes.Status200OK;
        return errors.Select(e => e.Code).Distinct().ToList() switch
        {
            ["UNAUTHENTICATED"] => StatusCodes.Status401Unauthorized,
            ["FORBIDDEN"] => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status200OK,
        };
    }

    /// <summary>Sends an answer whole, with its length; a cacheable one (a GET without errors) with an ETag and Cache-Control.</summary>
    private static async Task WriteBodyAsync(HttpContext http, MemoryStream body, bool cacheable)
    {
        if (cacheable)
        {
            // The CORS headers whether or not this request had an Origin, so any copy a shared cache (CDN, proxy) hands on
            // works for a partner page; and Vary: Origin for the caches that keep CORS answers per origin.
            http.Response.Headers.AccessControlAllowOrigin = "*";
            http.Response.Headers.AccessControlExposeHeaders = string.Join(", ", PublicRead.ExposedHeaders);
            var etag = "\"" + Convert.ToHexString(SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)), 0, 12) + "\"";
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "public, max-age=60";
            http.Response.Headers.Vary = "Accept, Origin";
            if (http.Request.Headers.IfNoneMatch.Any(v => v == etag))
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
        }
        else http.Response.Headers.CacheControl = "no-store";
        // Answered whole, with its length (response compression drops it when it compresses).
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), http.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, int status, string message,
        string code, string mediaType)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body,
            new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] }, http.RequestAborted);
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value == "text/html");

    /// <summary>graphql-response+json unless the client accepts only application/json; false when it accepts neither.</summary>
    private static bool TryChooseMediaType(HttpRequest request, out string mediaType)
    {
        var accept = request.GetTypedHeaders().Accept;
        mediaType = GraphQLResponseJson;
        if (accept.Count == 0) return true;
        var types = accept.Where(a => a.Quality is null or > 0).Select(a => a.MediaType.Value).ToList();
        if (types.Any(t => t is GraphQLResponseJson or "*/*" or "application/*")) return true;
        if (types.Contains("application/json")) { mediaType = "application/json"; return true; }
        return false;
    }

    private static bool IsMutation(GraphQLRequest request)
    {
        try
        {
            var document = GraphQLParser.Parser.Parse(request.Query);
            var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
            var operation = request.OperationName is null ? operations.Count == 1 ? operations[0] : null
                : operations.FirstOrDefault(o => o.Name?.StringValue == request.OperationName);
            return operation?.Operation == OperationType.Mutation;
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException)
        {
            return false; // the executer reports the syntax error, or the nesting the parser refuses
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
