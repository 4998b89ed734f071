using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using InclusionMap.Data.Sites;
using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Server.Tests.Errors;

/// <summary>
/// What the server answers when something fails, outside GraphQL: a problem (or an OData error) with a stable code, a
/// readable message and the request's trace id, never the exception's text; an unexpected failure is logged as an error
/// under that same trace id, with the exception; a database that cannot be reached is a 503 with Retry-After.
/// </summary>
public sealed class ErrorAnswersTests(ErrorAnswersTests.FaultyServer server) : IClassFixture<ErrorAnswersTests.FaultyServer>
{
    /// <summary>A W3C trace id (the request's activity), else ASP.NET Core's request id.</summary>
    private const string TraceIdPattern = "^[0-9a-f]{32}$|^[0-9A-Z]+:[0-9A-F]+$";

    /// <summary>Text of the faults below that must never reach a client.</summary>
    private static readonly string[] Secrets = ["/etc/shadow", "SELECT password", "InvalidOperationException", "Npgsql", "secret"];

    /// <summary>
    /// The real server, with endpoints that fail on purpose, an OData query that fails inside EF Core, and the logs kept.
    /// </summary>
    public sealed class FaultyServer : ServerFixture
    {
        public const string FaultyName = "fault-for-the-test";
        public ConcurrentQueue<LogEntry> Logs { get; } = new();

        protected override void Configure(WebApplicationBuilder builder)
        {
            builder.Logging.AddProvider(new KeepingProvider(this));
            builder.Services.AddSingleton<IInterceptor, FailingInterceptor>();
        }

        protected override void Map(WebApplication app)
        {
            app.MapGet("/test/fault", string () =>
                throw new InvalidOperationException("secret at /etc/shadow: SELECT password FROM users"));
            app.MapGet("/test/database-down", string () => throw new Npgsql.NpgsqlException(
                "Failed to connect to /tmp/secret/.s.PGSQL.5432", new SocketException((int)SocketError.ConnectionRefused)));
            app.MapGet("/test/refused", string () =>
                throw new SiteQueryException("BAD_USER_INPUT", "near.latitude must be between -90 and 90."));
        }

        private sealed class KeepingProvider(FaultyServer server) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new Keeping(server, categoryName);
            public void Dispose() { }
        }

        private sealed class Keeping(FaultyServer server, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) =>
                server.Logs.Enqueue(new LogEntry(category, logLevel, eventId, state as IReadOnlyList<KeyValuePair<string, object?>> ?? [],
                    exception));
        }

        /// <summary>
        /// Fails the OData general path's query whose parameter is <see cref="FaultyName"/>, as a defect inside EF Core would.
        /// </summary>
        private sealed class FailingInterceptor : DbCommandInterceptor
        {
            public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
                InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
                command.Parameters.Cast<DbParameter>().Any(p => p.Value as string == FaultyName)
                    ? throw new InvalidOperationException("secret at /etc/shadow: SELECT password FROM users")
                    : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_with_the_trace_id_that_the_error_log_carries()
    {
        var response = await server.Client.GetAsync("/test/fault");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var (code, traceId, body) = await ProblemAsync(response);
        Assert.Equal("INTERNAL_ERROR", code);
        AssertNoSecret(body);
        AssertLoggedAsError(traceId, "/test/fault");
    }

    [Fact]
    public async Task The_OData_feed_answers_an_unexpected_failure_as_an_OData_error_with_the_trace_id_in_innererror()
    {
        var response = await server.Client.GetAsync($"/odata/Sites?$filter=Nom eq '{FaultyServer.FaultyName}'");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("InternalError", error.GetProperty("code").GetString());
        Assert.Contains("trace id", error.GetProperty("message").GetString());
        var traceId = error.GetProperty("innererror").GetProperty("traceId").GetString()!;
        Assert.Equal(["traceId"], error.GetProperty("innererror").EnumerateObject().Select(p => p.Name));
        AssertNoSecret(body);
        AssertLoggedAsError(traceId, "/odata/Sites");
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_a_503_with_retry_after_and_no_detail_of_the_connection()
    {
        var response = await server.Client.GetAsync("/test/database-down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        var (code, traceId, body) = await ProblemAsync(response);
        Assert.Equal("DATABASE_UNAVAILABLE", code);
        AssertNoSecret(body);
        // A warning (it recovers by itself), not an error; with the same trace id.
        Assert.Contains(server.Logs, l =>
            l.Level == LogLevel.Warning && Field(l.State, "TraceId") == traceId && Field(l.State, "Code") == "DATABASE_UNAVAILABLE");
    }

    [Fact]
    public async Task A_refused_question_keeps_its_code_and_reason_and_is_not_logged_as_a_failure()
    {
        var response = await server.Client.GetAsync("/test/refused");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, traceId, body) = await ProblemAsync(response);
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Equal("near.latitude must be between -90 and 90.", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain(server.Logs, l => Field(l.State, "TraceId") == traceId);
    }

    [Theory]
    [InlineData("GET", "/no/such/page", 404, "NOT_FOUND")]
    [InlineData("DELETE", "/couverture", 405, "METHOD_NOT_ALLOWED")]
    [InlineData("GET", "/tiles/sites/99/0/0.mvt", 400, "INVALID_TILE_ADDRESS")]
    [InlineData("GET", "/tiles/communes/6/32/22.mvt?departement=2%27--", 400, "INVALID_FILTER")]
    [InlineData("GET", "/coverage/99.csv", 400, "INVALID_COVERAGE_REQUEST")]
    [InlineData("GET", "/coverage/23.geojson?maxDistance=NaN", 400, "INVALID_COVERAGE_REQUEST")]
    [InlineData("GET", "/maps/coverage/23.png?suggest=99", 400, "INVALID_COVERAGE_REQUEST")]
    [InlineData("GET", "/coverage/23.xlsx", 404, "NOT_FOUND")]
    [InlineData("POST", "/tiles/sites/0/0/0.mvt", 405, "METHOD_NOT_ALLOWED")]
    public async Task Refusals_are_problems_with_a_code_a_message_and_the_trace_id(string method, string url, int status, string expected)
    {
        var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, (int)response.StatusCode);
        var (code, traceId, body) = await ProblemAsync(response);
        Assert.Equal(expected, code);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()));
        Assert.Matches(TraceIdPattern, traceId);
    }

    [Fact]
    public async Task A_client_that_accepts_no_JSON_gets_the_same_words_as_text()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/fault");
        request.Headers.Accept.ParseAdd("text/html");
        var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("INTERNAL_ERROR: ", text);
        AssertNoSecret(text);
    }

    [Fact]
    public async Task An_OData_refusal_is_an_OData_error_with_a_code_and_the_trace_id()
    {
        var response = await server.Client.GetAsync("/odata/Sites?$filter=Nope eq 1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("InvalidQuery", error.GetProperty("code").GetString());
        Assert.Contains("Nope", error.GetProperty("message").GetString());
        Assert.Matches(TraceIdPattern, error.GetProperty("innererror").GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task While_the_catalogue_starts_every_address_answers_a_503_problem_and_health_says_why()
    {
        var state = server.App.Services.GetRequiredService<CatalogueState>();
        state.Enter("migrating");
        try
        {
            var response = await server.Client.GetAsync("/odata/Sites?$top=1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            var (code, _, body) = await ProblemAsync(response);
            Assert.Equal("STARTING", code);
            Assert.Contains("InclusionMap is starting (migrating)", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());

            var health = await server.Client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("5", health.Headers.GetValues("Retry-After").Single());
            var root = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("starting", root.GetProperty("status").GetString());
            Assert.Equal("STARTING", root.GetProperty("code").GetString());
            Assert.Matches(TraceIdPattern, root.GetProperty("traceId").GetString());
        }
        finally
        {
            state.Enter("ready");
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
    }

    private static async Task<(string Code, string TraceId, string Body)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        return (root.GetProperty("code").GetString()!, root.GetProperty("traceId").GetString()!, body);
    }

    private static void AssertNoSecret(string body)
    {
        foreach (var secret in Secrets) Assert.DoesNotContain(secret, body);
        Assert.DoesNotContain("   at ", body);
    }

    /// <summary>
    /// One error entry with the exception and structured fields an OpenTelemetry exporter keeps: the trace id, the request,
    /// the code.
    /// </summary>
    private void AssertLoggedAsError(string traceId, string path)
    {
        var entry = Assert.Single(server.Logs, l => l.Level == LogLevel.Error && Field(l.State, "TraceId") == traceId);
        Assert.Equal(7100, entry.Event.Id);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Equal(path, Field(entry.State, "Path"));
        Assert.Equal("GET", Field(entry.State, "Method"));
        Assert.Equal("500", Field(entry.State, "Status"));
    }

    /// <summary>One log entry as the server wrote it: its structured fields and the exception.</summary>
    public sealed record LogEntry(string Category, LogLevel Level, EventId Event, IReadOnlyList<KeyValuePair<string, object?>> State,
        Exception? Exception);

    private static string? Field(IReadOnlyList<KeyValuePair<string, object?>> state, string name) =>
        state.FirstOrDefault(p => p.Key == name).Value?.ToString();
}
