using System.Net;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Moderation;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Server.Tests.Moderation;

/// <summary>
/// What residents send without an account, over real HTTP: reports (merged per place and kind, with a count), suggestions
/// (checked as an import checks a record), their refusals (nothing written), the honeypot, the audit log; and what the
/// API's read-only role may not see.
/// </summary>
public sealed class ContributionTests(ModerationServer server) : IClassFixture<ModerationServer>
{
    private const string Report = """
        mutation($input: ReportProblemInput!) { reportProblem(input: $input) { id message } }
        """;

    private const string Suggest = """
        mutation($input: SuggestPlaceInput!) { suggestPlace(input: $input) { id message } }
        """;

    private const string Queue = """
        query($d: String) { moderationQueue(departement: $d) {
          departements
          reports { id siteId siteName kind count status messages { message canBeAnswered } }
          suggestions { id nom departementCode communeCode record { name value } canBeAnswered } } }
        """;

    /// <summary>Rows a contribution would add.</summary>
    private const string Written =
        "SELECT (SELECT count(*) FROM reports) + (SELECT count(*) FROM report_entries) + (SELECT count(*) FROM audit_log)";

    private Task<long> CountAsync(string sql, params object[] parameters) => server.ScalarAsync<long>(sql, parameters);

    [Fact]
    public async Task Reports_of_one_kind_on_one_place_are_one_queue_item_with_a_count_most_reported_first()
    {
        var site = await server.SiteInAsync("23", 3);
        var anonymous = GraphQLCaller.Anonymous(server);
        foreach (var (message, email) in new[] { ("Fermé le samedi matin.", (string?)null), ("Ouvert seulement l'après-midi.",
            "habitant@example.fr"), (null, null) })
        {
            var receipt = (await anonymous.DataAsync(Report, new { input = new { siteId = site.ToString(), kind = "WRONG_HOURS", message,
                email } }))["reportProblem"]!;
            Assert.Equal(Contributions.ReportThanks, receipt["message"]!.GetValue<string>());
        }
        await anonymous.DataAsync(Report, new { input = new { siteId = site.ToString(), kind = "CLOSED" } });

        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM reports WHERE site_id = $1", site));
        Assert.Equal(3, await server.ScalarAsync<int>("SELECT count FROM reports WHERE site_id = $1 AND kind = 'WrongHours'", site));
        Assert.Equal(3L, await CountAsync(
            "SELECT count(*) FROM report_entries e JOIN reports r ON r.id = e.report_id WHERE r.site_id = $1 AND r.kind = 'WrongHours'",
                site));
        // Every report is in the audit log, with the address it came from.
        Assert.Equal(4L, await CountAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'report.submitted' AND target = 'site:' || $1 AND address = '127.0.0.1'",
                site.ToString()));

        var coordinator = await GraphQLCaller.WithApiTokenAsync(server, "coord.reports.23@example.fr", AccountRole.Coordinator, "23");
        var reports = (await coordinator.DataAsync(Queue, new { d = "23" }))["moderationQueue"]!["reports"]!.AsArray()
            .Where(r => r!["siteId"]!.GetValue<string>() == site.ToString()).ToList();
        Assert.Equal(["WRONG_HOURS", "CLOSED"], reports.Select(r => r!["kind"]!.GetValue<string>()));
        Assert.Equal(3, reports[0]!["count"]!.GetValue<int>());
        Assert.Equal(["Fermé le samedi matin.", "Ouvert seulement l'après-midi."],
            reports[0]!["messages"]!.AsArray().Select(m => m!["message"]?.GetValue<string>()).OfType<string>());
        Assert.Equal(1, reports[0]!["messages"]!.AsArray().Count(m => m!["canBeAnswered"]!.GetValue<bool>()));
        // The queue never shows an address.
        Assert.DoesNotContain("habitant@example.fr", (await coordinator.SendAsync(Queue, new { d = "23" })).Body.ToJsonString());
    }

    [Fact]
    public async Task Bad_reports_are_refused_with_their_field_and_write_nothing()
    {
        var site = await server.SiteInAsync("23", 4);
        var anonymous = GraphQLCaller.Anonymous(server);
        var before = await CountAsync(Written);

        var (_, code, body) = await anonymous.ErrorAsync(Report, new { input = new { siteId = site.ToString(), kind = "OTHER",
            message = new string('x', 2_001) } });
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Equal("message", body["errors"]![0]!["extensions"]!["fields"]![0]!["field"]!.GetValue<string>());
        (_, code, body) = await anonymous.ErrorAsync(Report, new { input = new { siteId = site.ToString(), kind = "OTHER",
            email = "pas une adresse" } });
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Contains("n'est pas une adresse électronique", body["errors"]![0]!["message"]!.GetValue<string>());
        (_, code, _) = await anonymous.ErrorAsync(Report, new { input = new { siteId = "999999999", kind = "OTHER" } });
        Assert.Equal("NOT_FOUND", code);
        var (status, bad) = await anonymous.SendAsync(Report, new { input = new { siteId = site.ToString(), kind = "ALL_WRONG" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(bad["errors"]);
        // A mutation over GET is refused before anything runs.
        var mutation = $"mutation {{ reportProblem(input: {{siteId: \"{site}\", kind: OTHER}}) {{ id }} }}";
        var get = await anonymous.Client.GetAsync("/graphql?query=" + Uri.EscapeDataString(mutation));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);

        Assert.Equal(before,
            await CountAsync(Written));
    }

    [Fact]
    public async Task The_report_form_works_without_script_and_a_filled_honeypot_is_thanked_and_dropped()
    {
        var site = await server.SiteInAsync("23", 5);
        var client = TestAccounts.NewClient(server);
        var form = await client.GetAsync(ModerationPages.ReportPath(site));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("Qu'est-ce qui ne va pas", WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync()));

        var bot = await TestAccounts.PostFormAsync(client, ModerationPages.ReportPath(site), ModerationPages.ReportPath(site), new()
        {
            ["probleme"] = "Closed", ["message"] = "spam", [ModerationPages.HoneypotField] = "https://spam.example",
        });
        Assert.Equal(HttpStatusCode.OK, bot.StatusCode);
        Assert.Contains("Merci", await bot.Content.ReadAsStringAsync());
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM reports WHERE site_id = $1", site));

        var person = await TestAccounts.PostFormAsync(client, ModerationPages.ReportPath(site), ModerationPages.ReportPath(site), new()
        {
            ["probleme"] = "Closed", ["message"] = "Le lieu a fermé en juin.", [ModerationPages.HoneypotField] = "",
        });
        Assert.Equal(HttpStatusCode.OK, person.StatusCode);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM reports WHERE site_id = $1 AND kind = 'Closed'", site));

        var none = await TestAccounts.PostFormAsync(client, ModerationPages.ReportPath(site), ModerationPages.ReportPath(site),
            new() { ["message"] = "?" });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("Choisissez ce qui ne va pas", WebUtility.HtmlDecode(await none.Content.ReadAsStringAsync()));
        // Without the page's antiforgery token, nothing is taken.
        var forged = await TestAccounts.NewClient(server).PostAsync(ModerationPages.ReportPath(site),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["probleme"] = "Closed" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(1, await server.ScalarAsync<int>("SELECT count FROM reports WHERE site_id = $1 AND kind = 'Closed'", site));
    }

    [Fact]
    public async Task A_suggested_place_is_normalised_and_checked_like_an_import_and_waits_in_its_departements_queue_only()
    {
        var anonymous = GraphQLCaller.Anonymous(server);
        var input = new Dictionary<string, object?>
        {
            ["nom"] = "Repair café numérique de la gare", ["adresse"] = "2 avenue de la Gare", ["codePostal"] = "23000",
                ["communeName"] = "guéret",
            ["telephone"] = "05 55 51 00 01", ["siteWeb"] = new[] { "www.repair-cafe-gueret.example" },
            ["services"] = new[] { "AIDE_AUX_DEMARCHES_ADMINISTRATIVES", "MAITRISE_DES_OUTILS_NUMERIQUES_DU_QUOTIDIEN" },
            ["horaires"] = "We 14:00-18:00", ["email"] = "proposeur@example.fr",
        };
        var receipt = (await anonymous.DataAsync(Suggest, new { input }))["suggestPlace"]!;
        var id = long.Parse(receipt["id"]!.GetValue<string>());
        Assert.Equal("+33555510001", await server.ScalarAsync<string>("SELECT record->>'telephone' FROM suggestions WHERE id = $1", id));
        Assert.Equal("https://www.repair-cafe-gueret.example",
            await server.ScalarAsync<string>("SELECT record->>'site_web' FROM suggestions WHERE id = $1", id));
        Assert.Equal("23096", await server.ScalarAsync<string>("SELECT record->>'code_insee' FROM suggestions WHERE id = $1", id));
        Assert.Equal("23", await server.ScalarAsync<string>("SELECT departement_code FROM suggestions WHERE id = $1", id));
        // Without a position, the centre of its commune.
        Assert.NotNull(await server.ScalarAsync<string>("SELECT record->>'latitude' FROM suggestions WHERE id = $1", id));

        var before = await CountAsync("SELECT count(*) FROM suggestions");
        var (_, code, body) = await anonymous.ErrorAsync(Suggest, new { input = new Dictionary<string,
            object?>(input) { ["telephone"] = "12", ["siteWeb"] = new[] { "javascript:alert(1)" } } });
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Equal(["siteWeb", "telephone"],
            body["errors"]![0]!["extensions"]!["fields"]!.AsArray().Select(f => f!["field"]!.GetValue<string>()).Order());
        (_, code, body) = await anonymous.ErrorAsync(Suggest, new { input = new Dictionary<string,
            object?>(input) { ["codePostal"] = "23999" } });
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Contains("aucune commune n'a ce code postal", body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(before, await CountAsync("SELECT count(*) FROM suggestions"));

        var creuse = await GraphQLCaller.WithApiTokenAsync(server, "coord.suggestions.23@example.fr", AccountRole.Coordinator, "23");
        var hauteVienne = await GraphQLCaller.WithApiTokenAsync(server, "coord.suggestions.87@example.fr", AccountRole.Coordinator, "87");
        var queued = (await creuse.DataAsync(Queue, new { d = (string?)null }))["moderationQueue"]!;
        Assert.Equal(["23"], queued["departements"]!.AsArray().Select(d => d!.GetValue<string>()));
        var suggestion = Assert.Single(queued["suggestions"]!.AsArray(), s => s!["id"]!.GetValue<string>() == id.ToString());
        Assert.True(suggestion!["canBeAnswered"]!.GetValue<bool>());
        Assert.DoesNotContain((await hauteVienne.DataAsync(Queue, new { d = (string?)null }))["moderationQueue"]!["suggestions"]!.AsArray(),
            s => s!["id"]!.GetValue<string>() == id.ToString());

        // Accepted: a place of the catalogue whose provenance is InclusionMap, in the history, and the address erased.
        var accepted = (await creuse.DataAsync("""
            mutation($id: ID!) { acceptSuggestion(input: {id: $id, answer: "Ajouté, merci !"}) { status siteId } }
            """, new { id = id.ToString() }))["acceptSuggestion"]!;
        Assert.Equal("ACCEPTED", accepted["status"]!.GetValue<string>());
        var siteId = accepted["siteId"]!.GetValue<string>();
        var site = (await anonymous.DataAsync($$"""
            { site(id: "{{siteId}}") {
                nom telephone communeCode departementCode sources { dataset } history(first: 5) { nodes { cause } } } }
            """))["site"]!;
        Assert.Equal("Repair café numérique de la gare", site["nom"]!.GetValue<string>());
        Assert.Equal("23096", site["communeCode"]!.GetValue<string>());
        Assert.Equal(["inclusionmap"], site["sources"]!.AsArray().Select(s => s!["dataset"]!.GetValue<string>()));
        Assert.Equal("edit", site["history"]!["nodes"]![0]!["cause"]!.GetValue<string>());
        Assert.Null(await server.ScalarAsync<object>("SELECT email FROM suggestions WHERE id = $1", id) as string);
        Assert.Equal(1L,
            await CountAsync("SELECT count(*) FROM audit_log WHERE action = 'suggestion.accepted' AND target = 'suggestion:' || $1",
                id.ToString()));
        var (_, again, _) = await creuse.ErrorAsync("mutation($id: ID!) { refuseSuggestion(input: {id: $id}) { status } }",
            new { id = id.ToString() });
        Assert.Equal("ALREADY_RESOLVED", again);
    }

    [Theory]
    [InlineData("reports")]
    [InlineData("report_entries")]
    [InlineData("suggestions")]
    [InlineData("site_edits")]
    public async Task The_api_read_only_role_cannot_read_what_residents_and_editors_sent(string table)
    {
        await using var reader = new NpgsqlConnection(TestCluster.As(server.ConnectionString, CatalogueRoles.Reader));
        await reader.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", reader);
        var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task The_web_role_may_not_delete_what_was_sent()
    {
        await using var editor = new NpgsqlConnection(TestCluster.As(server.ConnectionString, CatalogueRoles.Editor));
        await editor.OpenAsync();
        foreach (var table in new[] { "reports", "report_entries", "suggestions", "site_edits", "site_history", "sites" })
        {
            await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE false", editor);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }
    }

}
