using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using InclusionMap.Data;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// Records the SQL text of every command the server sends while serving a request, whichever way it is sent (EF Core,
/// or Npgsql directly as the nearest page is), so tests can assert the index operators and count round trips. It
/// listens to the traces of ASP.NET Core and Npgsql: commands of the server's data sources (by name) on this fixture's
/// database, under a request; neither other test classes, nor the tests' own reference queries, nor the server's
/// background work (the catalogue version poll) are counted.
/// </summary>
public sealed class SqlCapture : IDisposable
{
    private ActivityListener? _listener;

    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Starts recording the commands sent to <paramref name="database"/>.</summary>
    public void Listen(string database)
    {
        _listener = new ActivityListener
        {
            // ASP.NET Core's request activities too: a command is counted when it runs under one.
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.GetTagItem("db.query.text") is string sql && activity.GetTagItem("db.namespace") as string == database
                    && activity.GetTagItem("db.npgsql.data_source") is CatalogueDatabase.DataSourceName or CatalogueDatabase.ReadDataSourceName
                    && UnderRequest(activity))
                    Commands.Enqueue(sql);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private static bool UnderRequest(Activity activity)
    {
        for (var a = activity.Parent; a is not null; a = a.Parent)
            if (a.Source.Name == "Microsoft.AspNetCore") return true;
        return false;
    }

    public List<string> Drain()
    {
        var list = new List<string>();
        while (Commands.TryDequeue(out var c)) list.Add(c);
        return list;
    }

    public void Dispose() => _listener?.Dispose();
}

/// <summary>Every entry the server logs, with its category and exception.</summary>
public sealed class LogCapture : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    private readonly string _category = "";

    public LogCapture()
    {
    }

    private LogCapture(LogCapture parent, string category) => (Entries, _category) = (parent.Entries, category);

    public ILogger CreateLogger(string categoryName) => new LogCapture(this, categoryName);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) Entries.Enqueue((_category, logLevel, formatter(state, exception), exception));
    }

    public void Dispose()
    {
    }
}

/// <summary>The real server with an SQL capture and a log capture; open-now is capped low enough that tests can reach the cap.</summary>
public sealed class GraphQLServerFixture : ServerFixture
{
    public SqlCapture Sql { get; } = new();

    public LogCapture Logs { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        Sql.Listen(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!);
        builder.Logging.AddProvider(Logs);
        builder.Configuration["InclusionMap:Search:MaxOpenAtCandidates"] = "3000";
        // These classes send thousands of searches from one address; the budgets have their own tests (Limits/).
        builder.Configuration["InclusionMap:RateLimits:Search:PermitLimit"] = "1000000";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Sql.Dispose();
    }

    /// <summary>POSTs a query and returns the parsed body; fails the test on a non-2xx status unless <paramref name="allowStatus"/>.</summary>
    public async Task<JsonNode> QueryAsync(string query, object? variables = null, int? allowStatus = null)
    {
        var response = await Client.PostAsJsonAsync("/graphql", new { query, variables });
        var text = await response.Content.ReadAsStringAsync();
        if (allowStatus is null) Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        else Assert.Equal(allowStatus, (int)response.StatusCode);
        return JsonNode.Parse(text)!;
    }

    /// <summary>GETs a query (variables as JSON) and returns the response.</summary>
    public async Task<HttpResponseMessage> GetAsync(string query, string? variables = null, string? origin = null)
    {
        var url = "/graphql?query=" + Uri.EscapeDataString(query)
            + (variables is null ? "" : "&variables=" + Uri.EscapeDataString(variables));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await Client.SendAsync(request);
    }

    /// <summary>The data of a query that must succeed without errors.</summary>
    public async Task<JsonNode> DataAsync(string query, object? variables = null)
    {
        var body = await QueryAsync(query, variables);
        Assert.True(body["errors"] is null, body["errors"]?.ToJsonString());
        return body["data"]!;
    }

    /// <summary>The single error code of a query that must fail.</summary>
    public async Task<string> ErrorCodeAsync(string query, object? variables = null, int status = 200)
    {
        var body = await QueryAsync(query, variables, status);
        var error = Assert.Single(body["errors"]!.AsArray());
        return error!["extensions"]!["code"]!.GetValue<string>();
    }
}

public static class Json
{
    public static List<long> Ids(JsonNode connection) =>
        connection["edges"]!.AsArray().Select(e => long.Parse(e!["node"]!["id"]!.GetValue<string>())).ToList();

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
