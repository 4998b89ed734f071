using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>
/// The real server, warmed up (every API answered once, so that no timing includes the first compilation of a path),
/// and the judgement of an answer to a hostile request: its status class, a readable message with a code, nothing
/// internal, an answer within <see cref="TimeLimit"/>, and the server still answering a normal request afterwards.
/// </summary>
public sealed partial class HostileServer : ServerFixture
{
    /// <summary>
    /// The slowest answer allowed. The requests are small and refused early; the bound is generous for a 2-core machine
    /// shared with other test classes, and still catches a request that makes the server work (a deep parse, a scan).
    /// </summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);

    /// <summary>The corpus is one client sending hundreds of requests of every class; the budgets have their own tests (Limits/).</summary>
    protected override void Configure(WebApplicationBuilder builder)
    {
        foreach (var requestClass in new[] { "Search", "Analysis", "Maps", "Tiles" })
            builder.Configuration[$"InclusionMap:RateLimits:{requestClass}:PermitLimit"] = "1000000";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var url in new[]
                 {
                     "/graphql?query=%7B%20sites(first%3A%201)%20%7B%20nodes%20%7B%20id%20%7D%20%7D%20%7D", "/odata/Sites?$top=1",
                     "/odata/Sites?$select=Id&$top=1&$orderby=geo.distance(Location,geography'SRID=4326;POINT(1.87 46.17)')",
                     "/tiles/sites/8/128/90.mvt", "/coverage/23.csv", "/maps/coverage/23.png", "/health", "/", "/no-such-page",
                     NormalRequest,
                 })
            await Client.GetAsync(url);
    }

    /// <summary>A search through the OData general path (EF Core, the read pool): what a normal client asks.</summary>
    private const string NormalRequest = "/odata/Sites?$select=Id,Nom&$filter=CodePostal eq '23000'&$orderby=Id&$top=3";

    /// <summary>
    /// Sends the request and checks its answer, then that the server still answers a normal request; the failure
    /// message names the case and shows the answer.
    /// </summary>
    public async Task AssertAnsweredAsync(HostileRequest request)
    {
        var response = await RawHttp.SendAsync(BaseAddress, request.Wire, TimeLimit + TimeSpan.FromSeconds(10));
        var shown = $"{request.Name} → {response.Status} {response.Header("Content-Type")} in {response.Elapsed.TotalMilliseconds:0} ms: "
            + Shorten(response.Body);
        switch (request.Expected)
        {
            case Answer.Served:
                Assert.True(response.Status is >= 200 and < 300, shown);
                break;
            case Answer.GraphQLErrorsIn200:
                Assert.True(response.Status == 200, shown);
                AssertReadableError(response, shown);
                break;
            case Answer.GraphQLFieldError:
                Assert.True(response.Status == 200, shown);
                AssertReadableError(response, shown);
                // A field error names its field: a request error (parse, validation) has no path and must be a 400.
                using (var json = JsonDocument.Parse(response.Body))
                    Assert.True(json.RootElement.GetProperty("errors")[0].TryGetProperty("path", out _), "not a field error: " + shown);
                break;
            case Answer.RefusedByHttpServer:
                Assert.True(response.Status is >= 400 and < 500, shown);
                break;
            default:
                Assert.True(response.Status is >= 400 and < 500, shown);
                AssertReadableError(response, shown);
                break;
        }
        AssertNothingInternal(request, response, shown);
        Assert.True(response.Elapsed < TimeLimit, shown);

        using var normal = await Client.GetAsync(NormalRequest);
        Assert.True(normal.StatusCode == HttpStatusCode.OK, $"after {request.Name}, a normal request answered {(int)normal.StatusCode}: "
            + Shorten(await normal.Content.ReadAsStringAsync()));
    }

    /// <summary>
    /// A code and a message: a problem (code, detail/title), an OData error (error.code, error.message) or GraphQL errors.
    /// </summary>
    private static void AssertReadableError(RawResponse response, string shown)
    {
        var type = response.Header("Content-Type") ?? "";
        if (!type.Contains("json", StringComparison.Ordinal))
        {
            // A client that accepts no JSON gets the same words as text.
            Assert.True(type.StartsWith("text/plain", StringComparison.Ordinal) && response.Body.Trim().Length > 10, shown);
            return;
        }
        using var json = JsonDocument.Parse(response.Body);
        var root = json.RootElement;
        string? code, message;
        if (root.TryGetProperty("errors", out var errors))
        {
            var first = errors[0];
            message = first.GetProperty("message").GetString();
            code = first.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var c)
                ? c.GetString()
                : null;
        }
        else if (root.TryGetProperty("error", out var error))
        {
            message = error.GetProperty("message").GetString();
            code = error.GetProperty("code").GetString();
        }
        else
        {
            message = root.TryGetProperty("detail", out var detail) ? detail.GetString() : root.GetProperty("title").GetString();
            code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
        }
        Assert.False(string.IsNullOrWhiteSpace(code), "no code: " + shown);
        Assert.False(string.IsNullOrWhiteSpace(message), "no message: " + shown);
    }

    /// <summary>
    /// No stack trace, exception or type name, SQL, PostgreSQL or Npgsql text, or path of this machine, unless the request
    /// itself held it.
    /// </summary>
    private static void AssertNothingInternal(HostileRequest request, RawResponse response, string shown)
    {
        var answer = string.Join("\n", response.Headers.Select(h => h.Key + ": " + h.Value)) + "\n" + response.Body;
        foreach (Match leak in Internals().Matches(answer))
            Assert.True(request.Text.Contains(leak.Value, StringComparison.Ordinal), $"'{leak.Value}' leaked: {shown}");
    }

    [GeneratedRegex(@"   at |\w*Exception\b|(?i:npgsql|postgres)|ERROR:|\bSELECT\b|\bFROM \w|System\.\w|Microsoft\.\w"
        + @"|InclusionMap\.(Core|Data|Server)|\.cs:line|(/(home|root|tmp|usr|var|etc|work|opt|proc|srv)/[\w.-]+)")]
    private static partial Regex Internals();

    private static string Shorten(string body) => body.Length > 400 ? body[..400] + "…" : body;
}
