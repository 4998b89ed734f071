using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Npgsql;

namespace InclusionMap.Server.Tests.OData;

/// <summary>An SQL command EF sent, with copies of its parameters so a test can EXPLAIN exactly what ran.</summary>
public sealed record CapturedCommand(string Text, List<NpgsqlParameter> Parameters);

public sealed class CommandCapture : DbCommandInterceptor
{
    private readonly ConcurrentQueue<CapturedCommand> _commands = new();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Record(DbCommand command) =>
        _commands.Enqueue(new CapturedCommand(command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToList()));

    public List<CapturedCommand> Drain()
    {
        var list = new List<CapturedCommand>();
        while (_commands.TryDequeue(out var c)) list.Add(c);
        return list;
    }
}

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

/// <summary>
/// Reads feeds the way an OData client does: Microsoft.OData.Core's <see cref="ODataMessageReader"/> over the HTTP
/// response, with the model from $metadata, following @odata.nextLink to the end.
/// </summary>
public static class FeedReader
{
    public sealed record Page(List<ODataResource> Entries, Uri? NextLink, long? Count);

    public static async Task<Page> ReadPageAsync(HttpClient client, IEdmModel model, string entitySet, Uri url, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata.metadata=minimal");
        request.Headers.TryAddWithoutValidation("OData-MaxVersion", "4.0");
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} for {url}: {System.Text.Encoding.UTF8.GetString(body)}");
        var message = new ResponseMessage(response, body);
        var set = model.EntityContainer.FindEntitySet(entitySet);
        using var reader = new ODataMessageReader((IODataResponseMessage)message, new ODataMessageReaderSettings { EnableMessageStreamDisposal = true }, model);
        var feed = await reader.CreateODataResourceSetReaderAsync(set, set.EntityType);
        var entries = new List<ODataResource>();
        ODataResourceSet? top = null;
        var depth = 0;
        while (await feed.ReadAsync())
        {
            switch (feed.State)
            {
                case ODataReaderState.ResourceSetStart or ODataReaderState.ResourceStart: depth++; break;
                case ODataReaderState.ResourceEnd:
                    depth--;
                    // Top-level entries sit at depth 1 (inside the set); expanded ones are deeper.
                    if (depth == 1 && feed.Item is ODataResource resource) entries.Add(resource);
                    break;
                case ODataReaderState.ResourceSetEnd:
                    depth--;
                    if (depth == 0) top = (ODataResourceSet)feed.Item;
                    break;
            }
        }
        Assert.NotNull(top);
        return new Page(entries, top.NextPageLink, top.Count);
    }

    /// <summary>Every page from <paramref name="url"/> on; asserts each next link is absolute and the count constant.</summary>
    public static async Task<(List<ODataResource> Entries, int Pages, long? Count)> ReadAllAsync(HttpClient client, IEdmModel model, string entitySet, string url, Action<HttpRequestMessage>? configure = null)
    {
        var all = new List<ODataResource>();
        Uri? next = new(client.BaseAddress!, url);
        var pages = 0;
        long? count = null;
        while (next is not null)
        {
            var page = await ReadPageAsync(client, model, entitySet, next, configure);
            pages++;
            Assert.True(pages < 2000, "runaway paging");
            if (page.NextLink is not null) Assert.True(page.NextLink.IsAbsoluteUri, page.NextLink.ToString());
            if (pages == 1) count = page.Count;
            else if (page.Count is not null) Assert.Equal(count, page.Count);
            all.AddRange(page.Entries);
            next = page.NextLink;
        }
        return (all, pages, count);
    }

    public static object? Value(this ODataResource resource, string name) =>
        resource.Properties.OfType<ODataProperty>().SingleOrDefault(p => p.Name == name)?.Value;

    public static bool Has(this ODataResource resource, string name) => resource.Properties.OfType<ODataProperty>().Any(p => p.Name == name);

    public static long Id(this ODataResource resource) => Convert.ToInt64(resource.Value("Id"), CultureInfo.InvariantCulture);

    private sealed class ResponseMessage(HttpResponseMessage response, byte[] body) : IODataResponseMessage, IODataResponseMessageAsync
    {
        public IEnumerable<KeyValuePair<string, string>> Headers =>
            response.Headers.Concat(response.Content.Headers).Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)));

        public int StatusCode { get => (int)response.StatusCode; set => throw new NotSupportedException(); }

        public string? GetHeader(string headerName) => Headers.FirstOrDefault(h => h.Key.Equals(headerName, StringComparison.OrdinalIgnoreCase)).Value;

        public void SetHeader(string headerName, string headerValue) => throw new NotSupportedException();

        public Stream GetStream() => new MemoryStream(body, writable: false);

        public Task<Stream> GetStreamAsync() => Task.FromResult(GetStream());
    }
}
