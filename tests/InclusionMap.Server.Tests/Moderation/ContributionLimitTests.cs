using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Limits;
using InclusionMap.Server.Moderation;
using InclusionMap.Server.Tests.Limits;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Moderation;

/// <summary>
/// The budget of contributions with its defaults, over real TCP from distinct loopback addresses: 200 reports from one
/// address, 20 accepted within the hour and the rest refused with 429; every accepted one is in the queue; another
/// address, the address's searches and its pages are not held by it.
/// </summary>
public sealed class ContributionLimitTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Two_hundred_reports_from_one_address_are_throttled_and_the_accepted_ones_are_all_in_the_queue()
    {
        var budget = new RateLimitOptions().Contribution.PermitLimit;
        Assert.Equal(20, budget);
        var admin = await GraphQLCaller.WithApiTokenAsync(server, "admin.limits@example.fr", AccountRole.Admin);
        var sites = new List<long>();
        await using (var command = server.DataSource.CreateCommand("SELECT id FROM sites WHERE retired_at IS NULL ORDER BY id LIMIT 40"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) sites.Add(reader.GetInt64(0));
        string[] kinds = ["CLOSED", "WRONG_HOURS", "WRONG_ADDRESS", "WRONG_CONTACT", "OTHER"];

        using var flooder = server.From("127.0.0.77");
        var accepted = new List<string>();
        var refused = 0;
        for (var i = 0; i < 200; i++)
        {
            var response = await flooder.PostAsJsonAsync("/graphql", new
            {
                query = "mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id } }",
                variables = new { input = new { siteId = sites[i / kinds.Length % sites.Count].ToString(), kind = kinds[i % kinds.Length],
                    message = $"n° {i}" } },
            });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Null(body["errors"]);
                accepted.Add(body["data"]!["reportProblem"]!["id"]!.GetValue<string>());
                continue;
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("RATE_LIMITED", body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
            Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single()) > 0);
            refused++;
        }
        Assert.Equal((budget, 200 - budget), (accepted.Count, refused));
        Assert.Equal(budget, await server.ScalarAsync<long>("SELECT sum(count) FROM reports"));
        Assert.Equal(budget, await server.ScalarAsync<long>("SELECT count(*) FROM report_entries"));

        var queue = (await admin.DataAsync("{ moderationQueue { reports { id count } } }"))["moderationQueue"]!["reports"]!.AsArray();
        Assert.Equal(accepted.Order(), queue.Select(r => r!["id"]!.GetValue<string>()).Order());

        // The form that posts a report shares the budget; the address's pages and searches do not.
        Assert.Equal(HttpStatusCode.OK, (await flooder.GetAsync(ModerationPages.ReportPath(sites[0]))).StatusCode);
        var form = await flooder.PostAsync(ModerationPages.ReportPath(sites[0]), new FormUrlEncodedContent(new Dictionary<string,
            string> { ["probleme"] = "Other" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
        var search = await flooder.PostAsJsonAsync("/graphql", new { query = "{ departement(code: \"23\") { name } }" });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        using var neighbour = server.From("127.0.0.78");
        var other = await neighbour.PostAsJsonAsync("/graphql", new
        {
            query = "mutation($id: ID!) { reportProblem(input: {siteId: $id, kind: OTHER}) { id } }",
                variables = new { id = sites[0].ToString() },
        });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
