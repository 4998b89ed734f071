using System.Collections;
using InclusionMap.Core.OpeningHours;
using InclusionMap.Core.Places;
using InclusionMap.Data.Sites;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// The one query builder of the catalogue: its exact SQL, its plans on the indexes, and its answers checked against
/// independent SQL (ST_Distance over every site, plain predicates without the indexes) on the real catalogue.
/// </summary>
public sealed class SiteQueryTests(SeededCatalogue catalogue) : IClassFixture<SeededCatalogue>
{
    private SiteQuery Query(SiteSearchOptions? options = null) =>
        new(catalogue.DataSource, Options.Create(options ?? new SiteSearchOptions()));

    private static SiteField[] Fields(params string[] names) => SiteQuery.Columns(names.Select(n => SiteFields.ByName[n]).ToList());

    /// <summary>Points a little off real sites (so that a radius of a few kilometres holds some), spread over the country.</summary>
    private async Task<List<GeoPoint>> PointsAsync(int count)
    {
        var points = new List<GeoPoint>();
        await using var command = catalogue.DataSource.CreateCommand(
            $"SELECT latitude + 0.004, longitude - 0.003 FROM sites WHERE location IS NOT NULL ORDER BY md5(id::text) LIMIT {count}");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) points.Add(new GeoPoint(reader.GetDouble(0), reader.GetDouble(1)));
        return points;
    }

    /// <summary>Every site with its spherical distance to a point, computed without the index or the KNN operator.</summary>
    private async Task<List<(long Id, double Distance)>> DistancesAsync(GeoPoint p, string where = "TRUE")
    {
        var rows = new List<(long, double)>();
        await using var command = catalogue.DataSource.CreateCommand(
            $"SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) FROM sites "
            + $"WHERE location IS NOT NULL AND {where}");
        command.Parameters.Add(new NpgsqlParameter { Value = p.Longitude });
        command.Parameters.Add(new NpgsqlParameter { Value = p.Latitude });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetDouble(1)));
        return rows;
    }

    private async Task<List<long>> IdsAsync(string sql, params object[] parameters)
    {
        var ids = new List<long>();
        await using var command = catalogue.DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private async Task<string> ExplainAsync(SqlStatement sql)
    {
        sql.Text.Insert(0, "EXPLAIN ");
        await using var command = sql.Command(catalogue.DataSource);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        return string.Join('\n', plan);
    }

    /// <summary>Every id of a filter, following the cursors through pages of 100.</summary>
    private async Task<List<long>> AllIdsAsync(SiteFilter filter)
    {
        var ids = new List<long>();
        string? after = null;
        for (var pages = 0; pages < 1_000; pages++)
        {
            var page = await Query().PageAsync(filter, 100, after, Fields(nameof(Site.Id)), CancellationToken.None);
            ids.AddRange(page.Hits.Select(h => h.Site.Id));
            if (!page.HasNextPage) return ids;
            after = page.Hits[^1].Cursor;
        }
        throw new InvalidOperationException("more than 1,000 pages");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_nearest_page_is_one_statement_that_walks_the_gist_index_in_distance_order(bool radius)
    {
        var filter = new SiteFilter { Near = new GeoPoint(46.17, 1.87), RadiusMeters = radius ? 20_000 : null };
        var sql = SiteQuery.PageSql(filter, Fields(nameof(Site.Nom), nameof(Site.Latitude), nameof(Site.Longitude)), null, 11);
        Assert.Equal("SELECT s.id, s.latitude, s.longitude, s.nom, s.location <-> $1 AS distance FROM sites AS s " +
                     "WHERE s.retired_at IS NULL AND s.location IS NOT NULL" +
                     (radius ? " AND ST_DWithin(s.location, $1, $2, FALSE)" : "") + " ORDER BY s.location <-> $1 LIMIT 11",
            sql.ToString());
        var plan = await ExplainAsync(sql);
        Assert.Contains("Index Scan using ix_sites_location on sites", plan);
        Assert.Contains("Order By: (location <-> ", plan);
        Assert.DoesNotContain("Sort", plan);
    }

    [Fact]
    public async Task Filters_become_indexed_conditions_with_their_values_as_parameters()
    {
        var filter = new SiteFilter
        {
            BoundingBox = new BoundingBox(1.7, 46.0, 2.0, 46.3), CommuneCode = "75104", DepartementCode = "75",
            Services = ["Aide aux démarches administratives"], Search = "100%_mairie", OnlineBooking = true, AccessibilityInfo = false,
        };
        var sql = SiteQuery.PageSql(filter, Fields(nameof(Site.Nom)), null, 21);
        Assert.Equal("SELECT s.id, s.nom FROM sites AS s WHERE s.retired_at IS NULL AND ST_Intersects(s.location_geometry, $1)" +
                     " AND s.commune_code = COALESCE((SELECT cc.commune_code FROM commune_codes AS cc WHERE cc.code = $2), $2)" +
                     " AND s.departement_code = $3 AND s.services && $4 AND s.prise_rdv IS NOT NULL AND s.fiche_acces_libre IS NULL" +
                     " AND s.search_text LIKE $5 ORDER BY s.id LIMIT 21", sql.ToString());
        await using var command = sql.Command(catalogue.DataSource);
        Assert.Equal("%100\\%\\_mairie%", command.Parameters[4].Value);

        var box = await ExplainAsync(
            SiteQuery.PageSql(new SiteFilter { BoundingBox = new BoundingBox(1.7, 46.0, 1.9, 46.2) }, Fields(), null, 101));
        Assert.Contains("ix_sites_location_geometry", box);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3_000.0)]
    [InlineData(25_000.0)]
    public async Task Nearest_pages_are_the_nearest_sites_of_an_independent_distance_query(double? radius)
    {
        var compared = 0;
        foreach (var near in await PointsAsync(30))
        {
            var page = await Query().PageAsync(new SiteFilter { Near = near, RadiusMeters = radius }, 13, null, Fields(nameof(Site.Nom)),
                CancellationToken.None);
            var expected = (await DistancesAsync(near)).Where(r => radius is null || r.Distance <= radius)
                .OrderBy(r => r.Distance).ThenBy(r => r.Id).Take(13).ToList();
            Assert.Equal(expected.Select(e => e.Id), page.Hits.Select(h => h.Site.Id));
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Distance, page.Hits[i].DistanceMeters!.Value, 1e-6);
            compared += page.Hits.Count;
        }
        Assert.True(compared > 100, $"only {compared} sites compared");
    }

    [Fact]
    public async Task Every_field_is_read_exactly_as_ef_core_reads_it()
    {
        await using var db = catalogue.CreateContext();
        foreach (var near in await PointsAsync(10))
        {
            var page = await Query().PageAsync(new SiteFilter { Near = near }, 10, null, null, CancellationToken.None);
            var ids = page.Hits.Select(h => h.Site.Id).ToList();
            var viaEf = await db.Sites.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id);
            foreach (var hit in page.Hits)
                foreach (var field in SiteFields.All)
                {
                    var (read, expected) = (field.Get(hit.Site), field.Get(viaEf[hit.Site.Id]));
                    if (read is IList list) Assert.Equal(((IEnumerable)expected!).Cast<object>(), list.Cast<object>());
                    else Assert.Equal(expected, read);
                }
        }
    }

    [Fact]
    public async Task Fields_not_asked_for_are_not_read()
    {
        var page = await Query().PageAsync(new SiteFilter { DepartementCode = "23" }, 5, null, Fields(nameof(Site.Nom)),
            CancellationToken.None);
        Assert.All(page.Hits, h => Assert.NotEqual("", h.Site.Nom));
        Assert.All(page.Hits, h => Assert.Equal(("", null, (string?)null), (h.Site.Adresse, h.Site.Location, h.Site.Horaires)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sites_at_the_same_place_straddling_a_page_end_come_once_each_in_id_order(bool plainColumns)
    {
        // Places holding several sites (a town hall with a France Services desk and an association...): from a point
        // beside them, they come at exactly the same distance, and one-site pages split them at every page end, where
        // the first query's candidates (the page and one spare) are all tied and a second, larger one is needed.
        var groups = new List<GeoPoint>();
        await using (var command = catalogue.DataSource.CreateCommand(
            "SELECT ST_Y(location::geometry), ST_X(location::geometry) FROM sites WHERE location IS NOT NULL " +
            "GROUP BY location HAVING count(*) >= 3 ORDER BY md5(ST_AsText(location)) LIMIT 5"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) groups.Add(new GeoPoint(reader.GetDouble(0) + 0.0002, reader.GetDouble(1) + 0.0002));
        Assert.NotEmpty(groups);
        foreach (var near in groups)
        {
            var expected = (await DistancesAsync(near)).OrderBy(r => r.Distance).ThenBy(r => r.Id).Take(6).ToList();
            Assert.Equal(expected[0].Distance, expected[2].Distance, 1e-6); // the group comes first, tied
            var got = new List<long>();
            string? after = null;
            for (var i = 0; i < 6; i++)
            {
                var page = await Query().PageAsync(new SiteFilter { Near = near }, 1, after, plainColumns ? Fields(nameof(Site.Nom)) : null,
                    CancellationToken.None);
                var hit = Assert.Single(page.Hits);
                Assert.True(page.HasNextPage);
                got.Add(hit.Site.Id);
                after = hit.Cursor;
            }
            Assert.Equal(expected.Select(e => e.Id), got);
        }
    }

    [Fact]
    public async Task Following_the_cursors_gives_every_matching_site_once_in_order()
    {
        Assert.Equal(await IdsAsync("SELECT id FROM sites WHERE departement_code = '16' ORDER BY id"),
            await AllIdsAsync(new SiteFilter { DepartementCode = "16" }));
        var near = new GeoPoint(45.65, 0.16);
        var expected = (await DistancesAsync(near)).Where(r => r.Distance <= 30_000)
            .OrderBy(r => r.Distance).ThenBy(r => r.Id).Select(r => r.Id).ToList();
        Assert.True(expected.Count > 100, $"{expected.Count} sites");
        Assert.Equal(expected, await AllIdsAsync(new SiteFilter { Near = near, RadiusMeters = 30_000 }));
    }

    [Fact]
    public async Task Each_filter_matches_what_independent_sql_finds()
    {
        const string limoges = "POLYGON((1.15 45.78, 1.35 45.78, 1.35 45.90, 1.15 45.90, 1.15 45.78))";
        var polygon = new NetTopologySuite.IO.WKTReader().Read(limoges);
        var cases = new (SiteFilter Filter, string Sql, object[] Parameters)[]
        {
            (new() { BoundingBox = new BoundingBox(1.7, 46.0, 2.0, 46.3) },
                "SELECT id FROM sites WHERE longitude BETWEEN 1.7 AND 2.0 AND latitude BETWEEN 46.0 AND 46.3 ORDER BY id", []),
            (new() { Within = polygon },
                "SELECT id FROM sites WHERE ST_Within(location::geometry, ST_GeomFromText($1, 4326)) ORDER BY id", [limoges]),
            // An arrondissement designates its commune.
            (new() { CommuneCode = "75104" }, "SELECT id FROM sites WHERE commune_code = '75056' ORDER BY id", []),
            (new() { CommuneCode = "23096" }, "SELECT id FROM sites WHERE commune_code = '23096' ORDER BY id", []),
            (new() { Services = ["Aide aux démarches administratives", "Loisirs et créations numériques"], DepartementCode = "13" },
                "SELECT id FROM sites WHERE departement_code = '13' AND ('Aide aux démarches administratives' = ANY(services) " +
                "OR 'Loisirs et créations numériques' = ANY(services)) ORDER BY id", []),
            (new() { Programmes = ["France Services"], Frais = ["Gratuit"] },
                "SELECT id FROM sites WHERE 'France Services' = ANY(dispositif_programmes_nationaux) "
                + "AND 'Gratuit' = ANY(frais_a_charge) ORDER BY id", []),
            (new() { Search = "Guéret" }, "SELECT id FROM sites WHERE strpos(search_text, 'gueret') > 0 ORDER BY id", []),
            (new() { OnlineBooking = true }, "SELECT id FROM sites WHERE prise_rdv IS NOT NULL ORDER BY id", []),
            (new() { OnlineBooking = false, DepartementCode = "35" },
                "SELECT id FROM sites WHERE prise_rdv IS NULL AND departement_code = '35' ORDER BY id", []),
            (new() { AccessibilityInfo = true, Programmes = ["France Services"] },
                "SELECT id FROM sites WHERE fiche_acces_libre IS NOT NULL "
                + "AND 'France Services' = ANY(dispositif_programmes_nationaux) ORDER BY id", []),
            (new() { AccessibilityInfo = false, DepartementCode = "23" },
                "SELECT id FROM sites WHERE fiche_acces_libre IS NULL AND departement_code = '23' ORDER BY id", []),
        };
        foreach (var (filter, sql, parameters) in cases)
        {
            var expected = await IdsAsync(sql, parameters);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await AllIdsAsync(filter));
            Assert.Equal(expected.Count, await Query().CountAsync(filter, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Open_at_keeps_the_sites_whose_hours_say_they_are_open_then()
    {
        var at = new DateTimeOffset(2026, 12, 8, 10, 30, 0, TimeSpan.FromHours(1)); // a Tuesday morning
        var filter = new SiteFilter { DepartementCode = "16", OpenAt = at };
        var expected = new List<long>();
        await using (var command =
            catalogue.DataSource.CreateCommand("SELECT id, horaires FROM sites WHERE departement_code = '16' ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                if (!reader.IsDBNull(1) && OpeningHours.Parse(reader.GetString(1)).IsOpenAt(at, FrenchTimeZones.Paris, "16") == true)
                    expected.Add(reader.GetInt64(0));
        Assert.True(expected.Count > 10, $"{expected.Count} open");
        Assert.Equal(expected, await AllIdsAsync(filter));
        Assert.Equal(expected.Count, await Query().CountAsync(filter, CancellationToken.None));
        var tooBroad = await Assert.ThrowsAsync<SiteQueryException>(() =>
            Query(new SiteSearchOptions { MaxOpenAtCandidates = 5 }).PageAsync(filter, 10, null, null, CancellationToken.None));
        Assert.Equal("OPEN_AT_TOO_BROAD", tooBroad.Code);
    }

    public static TheoryData<string, SiteFilter, int, string?> Refused => new()
    {
        { "PAGE_SIZE_EXCEEDED", new SiteFilter(), 101, null },
        { "BAD_USER_INPUT", new SiteFilter(), -1, null },
        { "BAD_USER_INPUT", new SiteFilter { Near = new GeoPoint(91, 0) }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { Near = new GeoPoint(double.NaN, 0) }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { RadiusMeters = 10 }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { Near = new GeoPoint(46, 2), RadiusMeters = double.NaN }, 10, null },
        { "RADIUS_TOO_LARGE", new SiteFilter { Near = new GeoPoint(46, 2), RadiusMeters = 100_001 }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { BoundingBox = new BoundingBox(2, 46, 1, 47) }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { Search = "gu\0eret" }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { Search = "a" }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { CommuneCode = "23096'; --" }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { OpenAt = DateTimeOffset.MinValue }, 10, null },
        { "BAD_USER_INPUT", new SiteFilter { OpenAt = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) }, 10, null },
        { "INVALID_GEOMETRY", new SiteFilter { Within = new GeometryFactory().CreatePoint(new Coordinate(1, 46)) }, 10, null },
        { "BAD_CURSOR", new SiteFilter(), 10, "not a cursor!" },
        // A hand-made distance cursor with a NaN distance, and one from another search.
        { "BAD_CURSOR", new SiteFilter { Near = new GeoPoint(46, 2) }, 10, SiteCursor.Encode(new GeoPoint(46, 2), double.NaN, 5) },
        { "BAD_CURSOR", new SiteFilter { Near = new GeoPoint(46, 2) }, 10, SiteCursor.Encode(new GeoPoint(45, 2), 12.5, 5) },
        { "BAD_CURSOR", new SiteFilter(), 10, SiteCursor.Encode(new GeoPoint(45, 2), 12.5, 5) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_question_out_of_bounds_is_refused_with_a_code_and_a_reason(string code, SiteFilter filter, int first, string? after)
    {
        var e = await Assert.ThrowsAsync<SiteQueryException>(() => Query().PageAsync(filter, first, after, null, CancellationToken.None));
        Assert.Equal(code, e.Code);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.DoesNotContain("Exception", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_by_departement_and_every_site_match_independent_sql()
    {
        var filter = new SiteFilter { Services = ["Aide aux démarches administratives"] };
        var expected = new Dictionary<string, int>();
        await using (var command = catalogue.DataSource.CreateCommand("""
            SELECT departement_code, count(*) FROM sites
             WHERE 'Aide aux démarches administratives' = ANY(services) AND departement_code IS NOT NULL
             GROUP BY 1
            """))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) expected[reader.GetString(0)] = (int)reader.GetInt64(1);
        Assert.True(expected.Count > 50);
        Assert.Equal(expected.OrderBy(e => e.Key),
            (await Query().CountByDepartementAsync(filter, CancellationToken.None)).OrderBy(e => e.Key));

        var every = new List<Site>();
        await foreach (var site in Query().EveryAsync(new SiteFilter(), Fields(nameof(Site.Nom)), CancellationToken.None)) every.Add(site);
        Assert.Equal(await IdsAsync("SELECT id FROM sites ORDER BY id"), every.Select(s => s.Id));
        Assert.All(every, s => Assert.False(string.IsNullOrEmpty(s.Nom)));
        var creuse = new List<long>();
        await foreach (var site in Query().EveryAsync(new SiteFilter { DepartementCode = "23" }, Fields(), CancellationToken.None))
            creuse.Add(site.Id);
        Assert.Equal(await IdsAsync("SELECT id FROM sites WHERE departement_code = '23' ORDER BY id"), creuse);
    }

    [Fact]
    public async Task Sites_by_id_come_in_the_order_asked_and_unknown_ids_are_skipped()
    {
        var ids = await IdsAsync("SELECT id FROM sites ORDER BY md5(id::text) LIMIT 3");
        var sites = await Query().ByIdsAsync([ids[2], -1, ids[0], ids[1]], Fields(nameof(Site.Nom)), CancellationToken.None);
        Assert.Equal([ids[2], ids[0], ids[1]], sites.Select(s => s.Id));
    }
}
