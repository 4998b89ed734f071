using InclusionMap.Core;
using InclusionMap.Core.OpeningHours;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// sites(...) against the real catalogue: every answer is compared with an independent computation (SQL ST_Distance
/// over all rows without the KNN operator, or the whole table filtered in memory).
/// </summary>
public sealed class SitesQueryTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    private const double GueretLat = 46.1703, GueretLon = 1.8717;

    private const string PageQuery = """
        query($near: GeoPointInput, $radius: Float, $bbox: BBoxInput, $commune: String, $departement: String, $within: GeoJSON,
              $services: [Service!], $publics: [Public!], $frais: [FraisACharge!], $modalites: [ModaliteAccompagnement!],
              $programmes: [DispositifProgrammeNational!], $booking: Boolean, $accessibility: Boolean,
              $openAt: DateTime, $search: String, $first: Int, $after: String) {
          sites(near: $near, radiusMeters: $radius, bbox: $bbox, communeCode: $commune, departementCode: $departement, within: $within,
                services: $services, publics: $publics, frais: $frais, modalites: $modalites, programmes: $programmes,
                withOnlineBooking: $booking, withAccessibilityInfo: $accessibility, openAt: $openAt, search: $search,
                first: $first, after: $after) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor distanceMeters node { id } }
          }
        }
        """;

    /// <summary>Follows the cursors to the end; returns every (id, distance) in order and the reported totalCount.</summary>
    private async Task<(List<(long Id, double? Distance)> Rows, int Total)> AllPagesAsync(Dictionary<string, object?> variables,
        int first = 100)
    {
        var rows = new List<(long, double?)>();
        string? after = null;
        int total;
        do
        {
            variables["first"] = first;
            variables["after"] = after;
            var sites = (await server.DataAsync(PageQuery, variables))["sites"]!;
            total = sites["totalCount"]!.GetValue<int>();
            foreach (var edge in sites["edges"]!.AsArray())
                rows.Add((long.Parse(edge!["node"]!["id"]!.GetValue<string>()), edge["distanceMeters"]?.GetValue<double>()));
            after = sites["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? sites["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        } while (after is not null);
        return (rows, total);
    }

    private sealed record Row(long Id, double? Lat, double? Lon, List<string> Services, List<string> Publics, List<string> Frais,
        List<string> Modalites, string? Commune, string? Departement, string Text, string? Horaires, List<string> Programmes,
        string? PriseRdv, string? FicheAccesLibre);

    private async Task<List<Row>> AllSitesAsync()
    {
        await using var db = CatalogueDatabase.CreateContext(server.DataSource);
        return (await db.Sites.AsNoTracking().ToListAsync())
            .Select(s => new Row(s.Id, s.Latitude, s.Longitude, s.Services, s.PublicsSpecifiquementAdresses, s.FraisACharge,
                s.ModalitesAccompagnement, s.CommuneCode, s.DepartementCode, s.Nom + " " + s.CommuneName + " " + s.Adresse, s.Horaires,
                s.DispositifProgrammesNationaux, s.PriseRdv, s.FicheAccesLibre)).ToList();
    }

    /// <summary>Spherical distances from SQL over every row, no index, no KNN operator: the reference order.</summary>
    private async Task<List<(long Id, double Distance)>> ReferenceDistancesAsync(double lat, double lon)
    {
        await using var db = CatalogueDatabase.CreateContext(server.DataSource);
        var sql = $"SELECT id AS \"Id\", ST_Distance(location, ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography, false) "
            + "AS \"Distance\" FROM sites WHERE location IS NOT NULL";
        var rows = await db.Database.SqlQueryRaw<DistanceRow>(sql.Replace(",", ", ", StringComparison.Ordinal)).ToListAsync();
        return rows.OrderBy(r => r.Distance).ThenBy(r => r.Id).Select(r => (r.Id, r.Distance)).ToList();
    }

    public sealed record DistanceRow(long Id, double Distance);

    private static Dictionary<string, object?> Vars(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static object Near(double lat, double lon) => new { latitude = lat, longitude = lon };

    [Fact]
    public async Task Nearest_sites_come_in_the_order_and_at_the_distances_of_an_independent_computation()
    {
        var reference = await ReferenceDistancesAsync(GueretLat, GueretLon);
        var sites = (await server.DataAsync(PageQuery, Vars(("near", Near(GueretLat, GueretLon)), ("first", 25))))["sites"]!;
        var edges = sites["edges"]!.AsArray();
        Assert.Equal(reference.Take(25).Select(r => r.Id), edges.Select(e => long.Parse(e!["node"]!["id"]!.GetValue<string>())));
        foreach (var (edge, expected) in edges.Zip(reference))
            Assert.Equal(expected.Distance, edge!["distanceMeters"]!.GetValue<double>(), 3);
        Assert.Equal(reference.Count, sites["totalCount"]!.GetValue<int>());

        // Haversine on the mean-radius sphere, written here, agrees with the first distance to the millimetre.
        var first = (await AllSitesAsync()).Single(s => s.Id == reference[0].Id);
        Assert.Equal(Haversine(GueretLat, GueretLon, first.Lat!.Value, first.Lon!.Value), reference[0].Distance, 2);
    }

    private static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double r = 6_371_008.7714; // PostGIS sphere radius (mean radius of WGS84)
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2)
            + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * r * Math.Asin(Math.Sqrt(a));
    }

    [Theory]
    [InlineData(46.1703, 1.8717, 10_000)]   // Guéret
    [InlineData(48.1173, -1.6778, 5_000)]   // Rennes
    [InlineData(43.2965, 5.3698, 2_500)]    // Marseille
    public async Task A_radius_returns_exactly_the_sites_within_it_in_distance_order(double lat, double lon, double radius)
    {
        var expected = (await ReferenceDistancesAsync(lat, lon)).Where(r => r.Distance <= radius).ToList();
        var (rows, total) = await AllPagesAsync(Vars(("near", Near(lat, lon)), ("radius", radius)), first: 7);
        Assert.Equal(expected.Select(e => e.Id), rows.Select(r => r.Id));
        Assert.Equal(expected.Count, total);
        Assert.All(rows, r => Assert.InRange(r.Distance!.Value, 0, radius));
    }

    [Fact]
    public async Task The_sql_uses_the_knn_operator_for_order_and_st_dwithin_for_the_radius()
    {
        server.Sql.Drain();
        await server.DataAsync(PageQuery, Vars(("near", Near(GueretLat, GueretLon)), ("radius", 20_000.0), ("first", 10)));
        var sql = server.Sql.Drain();
        var page = Assert.Single(sql, s => s.Contains("ORDER BY", StringComparison.Ordinal));
        // Spherical, like <-> (EF Core names parameters @…, the direct nearest query $…).
        Assert.Matches(@"ST_DWithin\(s\.location, [@$]\w+, [@$]\w+, FALSE\)", page);
        // Ordered by the KNN operator alone: a second key would make PostgreSQL sort the whole table.
        Assert.Matches(@"ORDER BY s\.location <-> [@$]\w+\s+LIMIT", page);

        // The plan walks the GiST index in distance order (no sort of the whole table).
        await using var connection = await server.DataSource.OpenConnectionAsync();
        await using var explain = connection.CreateCommand();
        var gueretLon = GueretLon.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var gueretLat = GueretLat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        explain.CommandText = "EXPLAIN SELECT id FROM sites WHERE location IS NOT NULL "
            + $"ORDER BY location <-> ST_SetSRID(ST_MakePoint({gueretLon}, {gueretLat}), 4326)::geography LIMIT 26";
        var plan = string.Join('\n', await ReadAllAsync(explain));
        Assert.Contains("Index Scan using ix_sites_location on sites", plan);
        Assert.DoesNotContain("Sort", plan);
    }

    private static async Task<List<string>> ReadAllAsync(System.Data.Common.DbCommand command)
    {
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return lines;
    }

    [Fact]
    public async Task Paging_the_whole_catalogue_returns_every_site_exactly_once_in_both_orders()
    {
        var all = (await AllSitesAsync()).Select(s => s.Id).Order().ToList();
        var (byId, total) = await AllPagesAsync(Vars());
        Assert.Equal(all, byId.Select(r => r.Id));
        Assert.Equal(all.Count, total);

        var located = (await ReferenceDistancesAsync(GueretLat, GueretLon)).Select(r => r.Id).ToList();
        var (byDistance, _) = await AllPagesAsync(Vars(("near", Near(GueretLat, GueretLon))));
        Assert.Equal(located.Count, byDistance.Select(r => r.Id).Distinct().Count());
        Assert.Equal(located, byDistance.Select(r => r.Id));
    }

    [Fact]
    public async Task A_site_added_while_paging_neither_hides_nor_repeats_the_others()
    {
        var variables = Vars(("near", Near(45.65, 0.16)), ("radius", 60_000.0), ("first", 20));
        var firstPage = (await server.DataAsync(PageQuery, variables))["sites"]!;
        var seen = Json.Ids(firstPage);
        var before = (await ReferenceDistancesAsync(45.65, 0.16)).Where(r => r.Distance <= 60_000).Select(r => r.Id).ToList();

        // A new place appears near the point, before the cursor in distance order, and another one far down the list.
        await server.ScalarAsync<long>("""
            INSERT INTO sites (pivot, nom, commune_name, code_postal, adresse, location, typologie, courriels, site_web, itinerance,
                               date_maj, services, publics_specifiquement_adresses, prise_en_charge_specifique, frais_a_charge,
                               dispositif_programmes_nationaux, formations_labels, autres_formations_labels, modalites_acces,
                               modalites_accompagnement, created_at, updated_at)
            SELECT '00000000000000', 'Lieu ajouté ' || g, 'Angoulême', '16000', '1 rue',
                   ST_SetSRID(ST_MakePoint(0.16 + g * 0.001, 45.65), 4326)::geography,
                   '{}', '{}', '{}', '{}', '2026-01-01', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', now(), now()
              FROM (VALUES (1), (300)) v(g) RETURNING id
            """);
        string? after = firstPage["pageInfo"]!["endCursor"]!.GetValue<string>();
        while (after is not null)
        {
            variables["after"] = after;
            var page = (await server.DataAsync(PageQuery, variables))["sites"]!;
            seen.AddRange(Json.Ids(page));
            after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(before.Except(seen));
        await server.ScalarAsync<long>("WITH d AS (DELETE FROM sites WHERE nom LIKE 'Lieu ajouté %' RETURNING 1) SELECT count(*) FROM d");
    }

    [Fact]
    public async Task Sites_at_exactly_the_same_distance_page_in_id_order_without_loss_across_page_boundaries()
    {
        // 30 places at one point (e.g. services of one building), plus the point itself as the query.
        await server.ScalarAsync<long>("""
            WITH ins AS (
            INSERT INTO sites (pivot, nom, commune_name, code_postal, adresse, location, typologie, courriels, site_web, itinerance,
                               date_maj, services, publics_specifiquement_adresses, prise_en_charge_specifique, frais_a_charge,
                               dispositif_programmes_nationaux, formations_labels, autres_formations_labels, modalites_acces,
                               modalites_accompagnement, created_at, updated_at)
            SELECT '00000000000000', 'Même adresse ' || g, 'Nulle part', '00000', '1 place',
                   ST_SetSRID(ST_MakePoint(-30.5, 40.25), 4326)::geography,
                   '{}', '{}', '{}', '{}', '2026-01-01', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', now(), now()
              FROM generate_series(1, 30) g RETURNING 1) SELECT count(*) FROM ins
            """);
        try
        {
            var (rows, _) = await AllPagesAsync(Vars(("near", Near(40.25, -30.5)), ("radius", 10.0)), first: 7);
            Assert.Equal(30, rows.Count);
            Assert.Equal(rows.Select(r => r.Id).Order(), rows.Select(r => r.Id));
            Assert.All(rows, r => Assert.Equal(0, r.Distance!.Value, 6));
        }
        finally
        {
            await server.ScalarAsync<long>(
                "WITH d AS (DELETE FROM sites WHERE nom LIKE 'Même adresse %' RETURNING 1) SELECT count(*) FROM d");
        }
    }

    public static TheoryData<string> FilterNames =>
    [
        "services", "publics", "frais", "modalites", "commune", "arrondissement", "departement", "bbox",
        "within", "search", "combined", "programmes", "booking", "no-booking", "accessibility", "no-accessibility",
    ];

    [Theory]
    [MemberData(nameof(FilterNames))]
    public async Task Each_filter_returns_what_an_in_memory_filter_of_the_whole_table_returns(string name)
    {
        var all = await AllSitesAsync();
        var square = new GeometryFactory(new PrecisionModel(), 4326)
            .CreatePolygon([new(-0.5, 45.4), new(0.6, 45.4), new(0.6, 46.1), new(-0.5, 46.1), new(-0.5, 45.4)]);
        var squareJson = new
        {
            type = "Polygon",
            coordinates = new[]
            {
                new[] { new[] { -0.5, 45.4 }, new[] { 0.6, 45.4 }, new[] { 0.6, 46.1 }, new[] { -0.5, 46.1 }, new[] { -0.5, 45.4 } },
            },
        };
        (Dictionary<string, object?> Vars, Func<Row, bool> Match) test = name switch
        {
            "services" => (Vars(("services", new[] { "AIDE_AUX_DEMARCHES_ADMINISTRATIVES", "LOISIRS_ET_CREATIONS_NUMERIQUES" })),
                r => r.Services.Contains("Aide aux démarches administratives") || r.Services.Contains("Loisirs et créations numériques")),
            "publics" => (Vars(("publics", new[] { "SENIORS" })), r => r.Publics.Contains("Seniors")),
            "frais" => (Vars(("frais", new[] { "GRATUIT" })), r => r.Frais.Contains("Gratuit")),
            "modalites" => (Vars(("modalites", new[] { "DANS_UN_ATELIER_COLLECTIF", "EN_AUTONOMIE" })),
                r => r.Modalites.Contains("Dans un atelier collectif") || r.Modalites.Contains("En autonomie")),
            "commune" => (Vars(("commune", "16015")), r => r.Commune == "16015"),
            "arrondissement" => (Vars(("commune", "75104")), r => r.Commune == "75056"),
            "departement" => (Vars(("departement", "23")), r => r.Departement == "23"),
            "bbox" => (Vars(("bbox", new { west = 4.8, south = 43.2, east = 5.6, north = 43.7 })),
                r => r.Lon is >= 4.8 and <= 5.6 && r.Lat is >= 43.2 and <= 43.7),
            "within" => (Vars(("within", squareJson)),
                r => r.Lon is { } lon && square.Covers(square.Factory.CreatePoint(new Coordinate(lon, r.Lat!.Value)))),
            "search" => (Vars(("search", "MÉDIATHÈQUE")), r => TextSearch.Fold(r.Text).Contains("mediatheque", StringComparison.Ordinal)),
            "combined" => (Vars(("departement", "16"), ("services", new[] { "AIDE_AUX_DEMARCHES_ADMINISTRATIVES" }), ("search", "mairie")),
                r => r.Departement == "16" && r.Services.Contains("Aide aux démarches administratives")
                    && TextSearch.Fold(r.Text).Contains("mairie", StringComparison.Ordinal)),
            "programmes" => (Vars(("programmes", new[] { "AIDANTS_CONNECT", "CONSEILLERS_NUMERIQUES" })),
                r => r.Programmes.Contains("Aidants Connect") || r.Programmes.Contains("Conseillers numériques")),
            "booking" => (Vars(("booking", true)), r => r.PriseRdv is not null),
            "no-booking" => (Vars(("booking", false), ("departement", "35")), r => r.PriseRdv is null && r.Departement == "35"),
            "accessibility" => (Vars(("accessibility", true)), r => r.FicheAccesLibre is not null),
            "no-accessibility" => (Vars(("accessibility", false), ("departement", "23")),
                r => r.FicheAccesLibre is null && r.Departement == "23"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var expected = all.Where(test.Match).Select(r => r.Id).Order().ToList();
        Assert.NotEmpty(expected);
        var (rows, total) = await AllPagesAsync(test.Vars);
        Assert.Equal(expected, rows.Select(r => r.Id));
        Assert.Equal(expected.Count, total);
    }

    [Theory]
    [InlineData("2026-07-15T10:00:00+02:00")]   // an ordinary Wednesday morning
    [InlineData("2026-07-14T10:00:00+02:00")]   // Bastille Day (a public holiday)
    [InlineData("2026-07-18T10:00:00+02:00")]   // Saturday
    [InlineData("2026-07-15T21:00:00+02:00")]   // evening
    public async Task Open_at_a_known_instant_matches_the_opening_hours_evaluated_independently(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var all = await AllSitesAsync();
        var expected = all
            .Where(r => r.Departement == "16"
                && OpeningHours.Parse(r.Horaires).IsOpenAt(at, FrenchTimeZones.ForDepartement(r.Departement), r.Departement) == true)
            .Select(r => r.Id).Order().ToList();
        var (rows, total) = await AllPagesAsync(Vars(("departement", "16"), ("openAt", instant)), first: 13);
        Assert.Equal(expected, rows.Select(r => r.Id));
        Assert.Equal(expected.Count, total);
        if (instant.StartsWith("2026-07-15T10", StringComparison.Ordinal)) Assert.True(expected.Count > 20);
        if (instant.StartsWith("2026-07-14", StringComparison.Ordinal))
        {
            var wednesday = all.Count(r => r.Departement == "16" && OpeningHours.Parse(r.Horaires).IsOpenAt(at.AddDays(1)) == true);
            Assert.True(expected.Count < wednesday, "fewer places open on a public holiday");
        }
    }

    [Fact]
    public async Task Open_at_with_near_keeps_the_distance_order()
    {
        var at = "2026-07-15T10:00:00+02:00";
        var (rows, _) = await AllPagesAsync(Vars(("near", Near(GueretLat, GueretLon)), ("radius", 50_000.0), ("openAt", at)), first: 5);
        Assert.NotEmpty(rows);
        Assert.Equal(rows.OrderBy(r => r.Distance).ThenBy(r => r.Id).Select(r => r.Id), rows.Select(r => r.Id));
    }
}
