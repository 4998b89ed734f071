using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Data.Export;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Tests.Moderation;

/// <summary>
/// Edits through <c>updateSite</c> over real HTTP and a real database: checked as an import checks a record, applied,
/// kept in the place's history with their author and in the audit log; an edited field wins over its source's next
/// files until the source publishes a newer <c>date_maj</c>, and the conflict is then in the coordinators' queue with
/// both values; exports, OData and GraphQL carry the edited values with InclusionMap as a provenance.
/// </summary>
public sealed class SiteEditTests(ModerationServer server) : IClassFixture<ModerationServer>
{
    private const string Update = """
        mutation($input: UpdateSiteInput!) {
          updateSite(input: $input) { id horaires telephone dateMaj editedAt sources { dataset sourceId } } }
        """;

    private const string KeepSource =
        """mutation($id: ID!) { resolveConflict(input: {siteId: $id, field: "horaires", keep: SOURCE}) { id } }""";

    private async Task<long> SiteOfAsync(string dataset, string sourceId) =>
        await server.ScalarAsync<long>("SELECT site_id FROM site_sources WHERE dataset = $1 AND source_id = $2", dataset, sourceId);

    private async Task<string?> HorairesAsync(long site) => await server.ScalarAsync<object>("SELECT horaires FROM sites WHERE id = $1",
        site) as string;

    [Fact]
    public async Task An_edit_is_applied_recorded_with_its_author_and_wins_over_its_source_until_a_newer_record_then_is_a_conflict()
    {
        const string dataset = "moderation-tests-edits";
        await server.ImportAsync(dataset, ModerationServer.CreusePlace("e1", "Tiers-lieu des essais de modération",
            "7 impasse des Essais", 0, "2024-05-01", "Mo-Fr 09:00-12:00"));
        var site = await SiteOfAsync(dataset, "e1");
        var coordinator = await GraphQLCaller.WithApiTokenAsync(server, "coord.edits.23@example.fr", AccountRole.Coordinator, "23");
        var account = await server.ScalarAsync<Guid>("SELECT id FROM accounts WHERE email = 'coord.edits.23@example.fr'");
        var today = ModerationServer.Day(DateTimeOffset.UtcNow);

        // Checked first: a value the schema or a person cannot mean is refused, with its field, and nothing is written.
        var history = await server.ScalarAsync<long>("SELECT count(*) FROM site_history WHERE site_id = $1", site);
        var (_, code, body) = await coordinator.ErrorAsync(Update, new { input = new { id = site.ToString(),
            horaires = "tous les jours sauf quand il pleut" } });
        Assert.Equal("BAD_USER_INPUT", code);
        Assert.Equal("horaires", body["errors"]![0]!["extensions"]!["fields"]![0]!["field"]!.GetValue<string>());
        (_, code, body) = await coordinator.ErrorAsync(Update, new { input = new { id = site.ToString(), nom = (string?)null,
            telephone = "123" } });
        Assert.Equal(["nom", "telephone"],
            body["errors"]![0]!["extensions"]!["fields"]!.AsArray().Select(f => f!["field"]!.GetValue<string>()).Order());
        Assert.Equal(history, await server.ScalarAsync<long>("SELECT count(*) FROM site_history WHERE site_id = $1", site));
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT count(*) FROM site_edits WHERE site_id = $1", site));

        var edited = (await coordinator.DataAsync(Update, new { input = new { id = site.ToString(), horaires = "Mo-Fr 14:00-18:00",
            telephone = "05 55 00 00 01" } }))["updateSite"]!;
        Assert.Equal("Mo-Fr 14:00-18:00", edited["horaires"]!.GetValue<string>());
        Assert.Equal("+33555000001", edited["telephone"]!.GetValue<string>());
        Assert.Equal(today, edited["dateMaj"]!.GetValue<string>());
        Assert.NotNull(edited["editedAt"]!.GetValue<string>());
        Assert.Contains(edited["sources"]!.AsArray(),
            s => s!["dataset"]!.GetValue<string>() == "inclusionmap" && s["sourceId"]!.GetValue<string>() == "edits");

        // In the place's history, with its author and cause, and in the audit log.
        var changes = (await GraphQLCaller.Anonymous(server).DataAsync($$"""
            { site(id: "{{site}}") { history(first: 10) { nodes { field cause actor oldValue newValue } } } }
            """))["site"]!["history"]!["nodes"]!.AsArray().Where(n => n!["cause"]!.GetValue<string>() == "edit").ToList();
        Assert.Equal(["dateMaj", "horaires", "telephone"], changes.Select(c => c!["field"]!.GetValue<string>()).Order());
        Assert.All(changes, c => Assert.Equal("account:" + account, c!["actor"]!.GetValue<string>()));
        var hours = changes.Single(c => c!["field"]!.GetValue<string>() == "horaires")!;
        Assert.Equal(("Mo-Fr 09:00-12:00", "Mo-Fr 14:00-18:00"), (hours["oldValue"]!.GetValue<string>(),
            hours["newValue"]!.GetValue<string>()));
        Assert.Equal("Mo-Fr 14:00-18:00", await server.ScalarAsync<string>(
            "SELECT details->'changes'->>'horaires' FROM audit_log "
            + "WHERE action = 'site.edited' AND target = 'site:' || $1 AND account_id = $2",
            site.ToString(), account));

        // The producer's next file changes the hours without a newer date_maj: the edit still wins.
        await server.ImportAsync(dataset, ModerationServer.CreusePlace("e1", "Tiers-lieu des essais de modération",
            "7 impasse des Essais", 0, "2024-05-01", "Sa 10:00-12:00"));
        Assert.Equal("Mo-Fr 14:00-18:00", await HorairesAsync(site));
        Assert.Equal("Sa 10:00-12:00", await server.ScalarAsync<string>("SELECT record->>'horaires' FROM site_sources WHERE dataset = $1",
            dataset));

        // A newer record (date_maj after the edit): its hours are in force, the edit is a conflict with both values; the
        // telephone it now gives is the edited one, so that edit is simply settled.
        var tomorrow = ModerationServer.Day(DateTimeOffset.UtcNow.AddDays(1));
        await server.ImportAsync(dataset, ModerationServer.CreusePlace("e1", "Tiers-lieu des essais de modération",
            "7 impasse des Essais", 0, tomorrow, "Mo-Sa 08:00-20:00", "+33555000001"));
        Assert.Equal("Mo-Sa 08:00-20:00", await HorairesAsync(site));
        Assert.Equal("Superseded", await server.ScalarAsync<string>(
            "SELECT status FROM site_edits WHERE site_id = $1 AND field = 'telephone' ORDER BY id DESC LIMIT 1", site));
        var conflict = Assert.Single((await coordinator.DataAsync("""
            { moderationQueue(departement: "23") { conflicts { siteId field label editedValue sourceValue editedBy } } }
            """))["moderationQueue"]!["conflicts"]!.AsArray(), c => c!["siteId"]!.GetValue<string>() == site.ToString())!;
        Assert.Equal(("horaires", "Mo-Fr 14:00-18:00", "Mo-Sa 08:00-20:00"),
            (conflict["field"]!.GetValue<string>(), conflict["editedValue"]!.GetValue<string>(),
                conflict["sourceValue"]!.GetValue<string>()));

        // Keeping the edit makes it win again (until a still newer record); the same file again changes nothing.
        var kept = (await coordinator.DataAsync("""
            mutation($id: ID!) { resolveConflict(input: {siteId: $id, field: "horaires", keep: EDITED}) { horaires } }
            """, new { id = site.ToString() }))["resolveConflict"]!;
        Assert.Equal("Mo-Fr 14:00-18:00", kept["horaires"]!.GetValue<string>());
        await server.ImportAsync(dataset, ModerationServer.CreusePlace("e1", "Tiers-lieu des essais de modération",
            "7 impasse des Essais", 0, tomorrow, "Mo-Sa 08:00-20:00", "+33555000001"));
        Assert.Equal("Mo-Fr 14:00-18:00", await HorairesAsync(site));
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT count(*) FROM site_edits WHERE site_id = $1 AND status = 'Conflict'",
            site));
        Assert.Equal(1L,
            await server.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'conflict.resolved' AND target = 'site:' || $1",
            site.ToString()));

        // Exports carry the edited values, with InclusionMap among the provenances; OData and GraphQL serve them.
        await using (var db = CatalogueDatabase.CreateContext(server.DataSource))
        {
            var output = new MemoryStream();
            await CatalogueExporter.WriteAsync(db.Sites.AsNoTracking().Where(s => s.Id == site).AsAsyncEnumerable(), output,
                ExportFormat.SchemaV1Json);
            var exported = JsonNode.Parse(output.ToArray())!.AsArray().Single()!;
            Assert.Equal("Mo-Fr 14:00-18:00", exported["horaires"]!.GetValue<string>());
            Assert.Equal("Tests, InclusionMap", exported["source"]!.GetValue<string>());
        }
        var odata = await server.Client.GetFromJsonAsync<JsonObject>($"/odata/Sites({site})?$select=Horaires,EditedAt");
        Assert.Equal("Mo-Fr 14:00-18:00", odata!["Horaires"]!.GetValue<string>());
        Assert.NotNull(odata["EditedAt"]);
    }

    [Fact]
    public async Task Keeping_the_source_in_a_conflict_dismisses_the_edit()
    {
        const string dataset = "moderation-tests-dismiss";
        await server.ImportAsync(dataset, ModerationServer.CreusePlace("d1", "Espace numérique des essais rejetés",
            "40 boulevard du Refus", 900, "2024-05-01", "Tu 09:00-12:00"));
        var site = await SiteOfAsync(dataset, "d1");
        var coordinator = await GraphQLCaller.WithApiTokenAsync(server, "coord.dismiss.23@example.fr", AccountRole.Coordinator, "23");
        await coordinator.DataAsync(Update, new { input = new { id = site.ToString(), horaires = "Tu 14:00-17:00" } });
        await server.ImportAsync(dataset, ModerationServer.CreusePlace("d1", "Espace numérique des essais rejetés",
            "40 boulevard du Refus", 900, ModerationServer.Day(DateTimeOffset.UtcNow.AddDays(2)),
            "Th 09:00-12:00"));
        Assert.Equal("Th 09:00-12:00", await HorairesAsync(site));
        await coordinator.DataAsync(KeepSource,
            new { id = site.ToString() });
        Assert.Equal("Dismissed", await server.ScalarAsync<string>("SELECT status FROM site_edits WHERE site_id = $1", site));
        Assert.Equal("Th 09:00-12:00", await HorairesAsync(site));
        var (_, code, _) = await coordinator.ErrorAsync(KeepSource,
            new { id = site.ToString() });
        Assert.Equal("NOT_FOUND", code);
    }

    [Fact]
    public async Task A_coordinator_cannot_move_a_place_out_of_its_departements_and_nothing_is_written()
    {
        var site = await server.SiteInAsync("23", 7);
        var coordinator = await GraphQLCaller.WithApiTokenAsync(server, "coord.move.23@example.fr", AccountRole.Coordinator, "23");
        var before = await server.ScalarAsync<string>("SELECT ST_AsText(location) FROM sites WHERE id = $1", site);
        // Limoges, in the Haute-Vienne.
        var (status, code, _) = await coordinator.ErrorAsync(Update, new { input = new { id = site.ToString(),
            location = new { latitude = 45.8336, longitude = 1.2611 } } });
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (status, code));
        Assert.Equal(before, await server.ScalarAsync<string>("SELECT ST_AsText(location) FROM sites WHERE id = $1", site));
        Assert.Equal("23", await server.ScalarAsync<string>("SELECT departement_code FROM sites WHERE id = $1", site));
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT count(*) FROM site_edits WHERE site_id = $1", site));

        // Within the département it may (the commune and département are resolved again, as an import resolves them).
        var moved = (await coordinator.DataAsync("""
            mutation($input: UpdateSiteInput!) { updateSite(input: $input) { departementCode latitude longitude } }
            """, new { input = new { id = site.ToString(), location = new { latitude = 46.0583, longitude = 2.2083 } } }))["updateSite"]!;
        Assert.Equal("23", moved["departementCode"]!.GetValue<string>());
        Assert.Equal((46.0583, 2.2083), (Math.Round(moved["latitude"]!.GetValue<double>(), 4),
            Math.Round(moved["longitude"]!.GetValue<double>(), 4)));
    }

    [Fact]
    public async Task The_odata_feed_stays_read_only()
    {
        var site = await server.SiteInAsync("23");
        var name = await server.ScalarAsync<string>("SELECT nom FROM sites WHERE id = $1", site);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Patch, HttpMethod.Put, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, method == HttpMethod.Post ? "/odata/Sites" : $"/odata/Sites({site})")
            {
                Content = method == HttpMethod.Delete ? null : JsonContent.Create(new { Nom = "Écrasé" }),
            };
            var response = await server.Client.SendAsync(request);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method}: {(int)response.StatusCode}");
        }
        Assert.Equal(name, await server.ScalarAsync<string>("SELECT nom FROM sites WHERE id = $1", site));
    }
}
