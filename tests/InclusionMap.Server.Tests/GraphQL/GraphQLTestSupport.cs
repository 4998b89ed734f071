using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>Records the SQL text of every command EF Core sends, so tests can assert the index operators and count round trips.</summary>
public sealed class SqlCapture : DbCommandInterceptor
{
    public ConcurrentQueue<string> Commands { get; } = new();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Commands.Enqueue(command.CommandText);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Commands.Enqueue(command.CommandText);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public List<string> Drain()
    {
        var list = new List<string>();
        while (Commands.TryDequeue(out var c)) list.Add(c);
        return list;
    }
}

/// <summary>The real server with an SQL capture; open-now is capped low enough that tests can reach the cap.</summary>
public sealed class GraphQLServerFixture : ServerFixture
{
    public SqlCapture Sql { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IInterceptor>(Sql);
        builder.Configuration["InclusionMap:MaxOpenAtCandidates"] = "3000";
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
