using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// The real server with an SQL capture and a log capture; open-now is capped low enough that tests can reach the cap.
/// </summary>
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

    /// <summary>
    /// POSTs a query and returns the parsed body; fails the test on a non-2xx status unless <paramref name="allowStatus"/>.
    /// </summary>
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
