using System.Collections;
using InclusionMap.Core.Places;
using InclusionMap.Server.Sites;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Server.Tests.Sites;

/// <summary>
/// The nearest page sent through Npgsql directly: the same sites, columns and distances as EF Core reads, checked
/// against independent SQL, on the GiST index in distance order.
/// </summary>
public sealed class NearestSitesQueryTests(SeededCatalogue catalogue) : IClassFixture<SeededCatalogue>
{
    /// <summary>Every column the direct query reads (all but vocabularies, geometries, navigations).</summary>
    private static string[] Readable(Microsoft.EntityFrameworkCore.Metadata.IModel model) =>
        Site.Columns.Where(c => NearestSitesQuery.For(model, [c], includeSynthetic: false, radius: false) is not null).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Points a little off real sites (so that a radius of a few kilometres holds some), spread over the country.</summary>
    private async Task<List<(double Lat, double Lon)>> PointsAsync(int count)
    {
        var points = new List<(double, double)>();
        await using var command = catalogue.DataSource.CreateCommand(
            $"SELECT latitude + 0.004, longitude - 0.003 FROM sites WHERE NOT synthetic AND location IS NOT NULL ORDER BY md5(id::text) LIMIT {count}");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) points.Add((reader.GetDouble(0), reader.GetDouble(1)));
        return points;
    }

    [Fact]
    public async Task It_reads_every_plain_column_exactly_as_ef_core_does()
    {
        await using var db = catalogue.CreateContext();
        var columns = Readable(db.Model);
        // The columns a map or a widget asks for, and every other plain one (text, numbers, dates, lists of text).
        Assert.Superset(new HashSet<string> { "Id", "Nom", "Latitude", "Longitude", "Adresse", "CodePostal", "Horaires", "Courriels", "SiteWeb", "Typologie", "DepartementCode", "DateMaj" }, columns.ToHashSet());
        var query = NearestSitesQuery.For(db.Model, columns, includeSynthetic: false, radius: false)!;
        var properties = columns.Select(c => typeof(Site).GetProperty(c)!).ToList();
        foreach (var (lat, lon) in await PointsAsync(25))
        {
            var near = SiteSearch.Point(new GeoPoint(lat, lon));
            var direct = await query.FetchAsync(db, near, 0, 13, CancellationToken.None);
            var viaEf = await db.Sites.AsNoTracking().Where(s => !s.Synthetic && s.Location != null)
                .Select(s => new { Site = s, Distance = EF.Functions.DistanceKnn(s.Location!, near) }).OrderBy(x => x.Distance).Take(13).ToListAsync();
            Assert.Equal(13, direct.Count);
            Assert.Equal(viaEf.Select(x => x.Distance), direct.Select(x => x.Distance));
            // Sites at the same distance may come in either order from the index: compare them by id.
            foreach (var (d, e) in direct.OrderBy(x => x.Distance).ThenBy(x => x.Site.Id).Zip(viaEf.OrderBy(x => x.Distance).ThenBy(x => x.Site.Id)))
                foreach (var property in properties)
                {
                    var (a, b) = (property.GetValue(d.Site), property.GetValue(e.Site));
                    if (a is IList list) Assert.Equal(((IEnumerable)b!).Cast<object>(), list.Cast<object>());
                    else Assert.Equal(b, a);
                }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3_000.0)]
    [InlineData(25_000.0)]
    public async Task Its_pages_are_the_nearest_sites_of_an_independent_distance_query(double? radius)
    {
        await using var db = catalogue.CreateContext();
        var query = NearestSitesQuery.For(db.Model, ["Nom"], includeSynthetic: false, radius: radius is not null)!;
        var compared = 0;
        foreach (var (lat, lon) in await PointsAsync(30))
        {
            var direct = await query.FetchAsync(db, SiteSearch.Point(new GeoPoint(lat, lon)), radius ?? 0, 13, CancellationToken.None);
            // Every real site with its spherical distance, computed without the index or the KNN operator.
            var reference = new List<(long Id, double Distance)>();
            await using (var command = catalogue.DataSource.CreateCommand(
                "SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) FROM sites WHERE NOT synthetic AND location IS NOT NULL"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = lon });
                command.Parameters.Add(new NpgsqlParameter { Value = lat });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) reference.Add((reader.GetInt64(0), reader.GetDouble(1)));
            }
            var expected = reference.Where(r => radius is null || r.Distance <= radius).OrderBy(r => r.Distance).ThenBy(r => r.Id).Take(13).ToList();
            Assert.Equal(expected.Count, direct.Count);
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Distance, direct[i].Distance, 1e-6);
            // Same sites, in distance order (those at one distance in any order).
            Assert.Equal(expected.Select(e => (Math.Round(e.Distance, 4), e.Id)), direct.Select(d => (Math.Round(d.Distance, 4), d.Site.Id)).OrderBy(x => x.Item1).ThenBy(x => x.Id));
            compared += direct.Count;
        }
        Assert.True(compared > 100, $"only {compared} sites compared");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Its_sql_walks_the_gist_index_in_distance_order(bool radius)
    {
        await using var db = catalogue.CreateContext();
        var sql = NearestSitesQuery.For(db.Model, ["Latitude", "Longitude", "Nom"], includeSynthetic: false, radius)!.Sql(13);
        Assert.Equal("SELECT s.id AS \"Id\", s.latitude AS \"Latitude\", s.longitude AS \"Longitude\", s.nom AS \"Nom\", s.location <-> $1 AS \"Distance\" " +
                     "FROM sites AS s WHERE NOT (s.synthetic) AND s.location IS NOT NULL" + (radius ? " AND ST_DWithin(s.location, $1, $2, FALSE)" : "") +
                     " ORDER BY s.location <-> $1 LIMIT 13", sql);
        await using var explain = catalogue.DataSource.CreateCommand("EXPLAIN " + sql);
        explain.Parameters.Add(new NpgsqlParameter { Value = SiteSearch.Point(new GeoPoint(46.17, 1.87)), NpgsqlDbType = NpgsqlDbType.Geography });
        if (radius) explain.Parameters.Add(new NpgsqlParameter { Value = 20_000.0 });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        var text = string.Join('\n', plan);
        Assert.Contains("Index Scan using ix_sites_location on sites", text);
        Assert.Contains("Order By: (location <-> ", text);
        Assert.DoesNotContain("Sort", text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sites_at_the_same_place_straddling_a_page_end_come_once_each_in_id_order(bool plainColumns)
    {
        // Places holding several sites (a town hall with a France Services desk and an association...): from a point
        // beside them, they come at exactly the same distance, and one-site pages split them at every page end, where
        // the first query's candidates (the page and one spare) are all tied and a second, larger one is needed.
        var groups = new List<(double Lat, double Lon)>();
        await using (var command = catalogue.DataSource.CreateCommand(
            "SELECT ST_Y(location::geometry), ST_X(location::geometry) FROM sites WHERE NOT synthetic AND location IS NOT NULL " +
            "GROUP BY location HAVING count(*) >= 3 ORDER BY md5(ST_AsText(location)) LIMIT 5"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) groups.Add((reader.GetDouble(0), reader.GetDouble(1)));
        Assert.NotEmpty(groups);
        IReadOnlyCollection<string>? columns = plainColumns ? ["Nom"] : null;
        foreach (var (lat, lon) in groups)
        {
            var near = new GeoPoint(lat + 0.0002, lon + 0.0002);
            var expected = new List<(long Id, double Distance)>();
            await using (var command = catalogue.DataSource.CreateCommand(
                "SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) AS d FROM sites " +
                "WHERE NOT synthetic AND location IS NOT NULL ORDER BY d, id LIMIT 6"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = near.Longitude });
                command.Parameters.Add(new NpgsqlParameter { Value = near.Latitude });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) expected.Add((reader.GetInt64(0), reader.GetDouble(1)));
            }
            Assert.Equal(expected[0].Distance, expected[2].Distance, 1e-6); // the group comes first, tied

            var got = new List<long>();
            string? after = null;
            for (var page = 0; page < 6; page++)
            {
                await using var db = catalogue.CreateContext();
                var result = await SiteSearch.PageAsync(db, new SiteFilter { Near = near }, 1, after, CancellationToken.None, columns: columns);
                var hit = Assert.Single(result.Hits);
                Assert.True(result.HasNextPage);
                got.Add(hit.Site.Id);
                after = hit.Cursor;
            }
            Assert.Equal(expected.Select(e => e.Id), got);
        }
    }

    [Theory]
    [InlineData("Services")]                 // a vocabulary: official labels through a converter
    [InlineData("ModalitesAccompagnement")]
    [InlineData("Location")]                 // a geography
    [InlineData("Commune")]                  // a navigation
    public void Columns_it_cannot_read_as_stored_are_left_to_ef_core(string column)
    {
        using var db = catalogue.CreateContext();
        Assert.Null(NearestSitesQuery.For(db.Model, ["Nom", column], includeSynthetic: false, radius: false));
        Assert.NotNull(NearestSitesQuery.For(db.Model, ["Nom"], includeSynthetic: false, radius: false));
    }

    [Fact]
    public void Synthetic_sites_are_left_out_unless_the_deployment_serves_them()
    {
        using var db = catalogue.CreateContext();
        Assert.Contains("NOT (s.synthetic)", NearestSitesQuery.For(db.Model, ["Nom"], includeSynthetic: false, radius: false)!.Sql(10), StringComparison.Ordinal);
        Assert.DoesNotContain("synthetic", NearestSitesQuery.For(db.Model, ["Nom"], includeSynthetic: true, radius: false)!.Sql(10), StringComparison.Ordinal);
    }
}
