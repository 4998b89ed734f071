using System.Globalization;
using Microsoft.OData;
using Microsoft.OData.Edm;

namespace InclusionMap.Server.Tests.OData;

/// <summary>
/// Reads feeds the way an OData client does: Microsoft.OData.Core's <see cref="ODataMessageReader"/> over the HTTP
/// response, with the model from $metadata, following @odata.nextLink to the end.
/// </summary>
public static class FeedReader
{
    public sealed record Page(List<ODataResource> Entries, Uri? NextLink, long? Count);

    public static async Task<Page> ReadPageAsync(HttpClient client, IEdmModel model, string entitySet, Uri url,
        Action<HttpRequestMessage>? configure = null)
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
        using var reader = new ODataMessageReader((IODataResponseMessage)message,
            new ODataMessageReaderSettings { EnableMessageStreamDisposal = true }, model);
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
    public static async Task<(List<ODataResource> Entries, int Pages, long? Count)> ReadAllAsync(
        HttpClient client, IEdmModel model, string entitySet, string url, Action<HttpRequestMessage>? configure = null)
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

    public static bool Has(this ODataResource resource, string name) =>
        resource.Properties.OfType<ODataProperty>().Any(p => p.Name == name);

    public static long Id(this ODataResource resource) => Convert.ToInt64(resource.Value("Id"), CultureInfo.InvariantCulture);

    private sealed class ResponseMessage(HttpResponseMessage response, byte[] body) : IODataResponseMessage, IODataResponseMessageAsync
    {
        public IEnumerable<KeyValuePair<string, string>> Headers =>
            response.Headers.Concat(response.Content.Headers)
                .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)));

        public int StatusCode { get => (int)response.StatusCode; set => throw new NotSupportedException(); }

        public string? GetHeader(string headerName) =>
            Headers.FirstOrDefault(h => h.Key.Equals(headerName, StringComparison.OrdinalIgnoreCase)).Value;

        public void SetHeader(string headerName, string headerValue) => throw new NotSupportedException();

        public Stream GetStream() => new MemoryStream(body, writable: false);

        public Task<Stream> GetStreamAsync() => Task.FromResult(GetStream());
    }
}
