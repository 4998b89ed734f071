using System.Text.Json.Nodes;
using System.Xml;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Npgsql;

namespace InclusionMap.Server.Tests.OData;

/// <summary>The real server over a fresh copy of the real catalogue, with every SQL command captured.</summary>
public sealed class ODataServerFixture : ServerFixture
{
    /// <summary>The commands EF Core sent (the general path), with their parameters.</summary>
    public CommandCapture Sql { get; } = new();

    /// <summary>Every command sent while serving a request, from Npgsql's traces: EF Core's and the direct nearest page's.</summary>
    public GraphQL.SqlCapture SentSql { get; } = new();

    private IEdmModel? _model;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IInterceptor>(Sql);
        SentSql.Listen(new NpgsqlConnectionStringBuilder(ConnectionString).Database!);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SentSql.Dispose();
    }

    /// <summary>The service's model as a client gets it: $metadata read by the EDM library's CSDL reader.</summary>
    public async Task<IEdmModel> ModelAsync()
    {
        if (_model is not null) return _model;
        var xml = await Client.GetStringAsync("/odata/$metadata");
        using var reader = XmlReader.Create(new StringReader(xml));
        Assert.True(CsdlReader.TryParse(reader, out var model, out var errors), string.Join("; ", errors ?? []));
        return _model = model;
    }

    public async Task<JsonNode> JsonAsync(string url, int status = 200)
    {
        using var response = await Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode} for {url}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>EXPLAIN of a captured command with its own parameters; seqscan off when asked, to show the index can serve it.</summary>
    public async Task<string> ExplainAsync(CapturedCommand command, bool disableSeqScan)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (disableSeqScan)
        {
            await using var set = new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction);
            await set.ExecuteNonQueryAsync();
        }
        await using var explain = new NpgsqlCommand("EXPLAIN " + command.Text, connection, transaction);
        foreach (var p in command.Parameters) explain.Parameters.Add(p.Clone());
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
