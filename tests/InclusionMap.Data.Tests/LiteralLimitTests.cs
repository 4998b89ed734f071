using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// <see cref="LiteralLimitInterceptor"/>, observed on a real server: EF Core's page queries reach PostgreSQL with their
/// LIMIT as a literal, answer as before, and PostgreSQL reuses their plan, which it never does for a LIMIT parameter.
/// </summary>
public sealed class LiteralLimitTests : IAsyncLifetime
{
    private readonly SeededCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    /// <summary>Eight commune centres spread over the country.</summary>
    private static readonly (double Lon, double Lat)[] Points =
        [(1.8717, 46.1703), (2.3522, 48.8566), (5.37, 43.30), (-1.55, 47.22), (7.75, 48.58), (3.06, 50.63), (-0.58, 44.84), (4.83, 45.76)];

    private static IQueryable<double> NearestDistances(CatalogueDbContext db, double lon, double lat, int first)
    {
        var p = Wgs84.CreatePoint(new Coordinate(lon, lat));
        return db.Sites.Where(s => s.Location != null).Select(s => EF.Functions.DistanceKnn(s.Location!, p)).OrderBy(d => d).Take(first);
    }

    [Fact]
    public async Task A_page_query_gets_a_literal_limit_answers_the_same_and_keeps_its_plan()
    {
        await using var db = CatalogueDatabase.CreateContext(_catalogue.DataSource);
        // One physical connection for the whole test: prepared statements and their plan counts belong to it.
        await db.Database.OpenConnectionAsync();
        // Npgsql prepares a statement at its fifth execution; PostgreSQL then plans five executions for their values
        // before it may keep a generic plan.
        for (var round = 0; round < 3; round++)
            foreach (var (lon, lat) in Points)
            {
                var distances = await NearestDistances(db, lon, lat, 7).ToListAsync();
                var expected = await _catalogue.ScalarAsync<double[]>(
                    "SELECT array_agg(d ORDER BY d) FROM (SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, "
                    + "false) d FROM sites WHERE location IS NOT NULL ORDER BY d LIMIT 7) x",
                    lon, lat);
                Assert.Equal(expected, distances, (a, b) => Math.Abs(a - b) < 1e-6);
            }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var plans = new NpgsqlCommand("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
            + "WHERE statement LIKE '%ORDER BY s.location <->%'", connection);
        await using var reader = await plans.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the nearest query was prepared");
        var (statement, generic, custom) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
        Assert.EndsWith("LIMIT 7", statement.TrimEnd(), StringComparison.Ordinal);
        // PostgreSQL plans the first five executions for their values, then keeps the generic plan.
        Assert.True(generic >= 5, $"generic plans {generic}, custom plans {custom}");
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Skip_and_take_keep_the_offset_a_parameter_and_page_like_raw_sql()
    {
        await using var db = CatalogueDatabase.CreateContext(_catalogue.DataSource);
        var page = await db.Sites.OrderBy(s => s.Id).Select(s => s.Id).Skip(30).Take(12).ToListAsync();
        Assert.Equal(await _catalogue.ScalarAsync<long[]>(
            "SELECT array_agg(id ORDER BY id) FROM (SELECT id FROM sites ORDER BY id OFFSET 30 LIMIT 12) x"), page);

        var command = (NpgsqlCommand)db.Sites.OrderBy(s => s.Id).Select(s => s.Id).Skip(30).Take(12).CreateDbCommand();
        LiteralLimitInterceptor.Inline(command);
        Assert.Matches(@"LIMIT 12 OFFSET @\w+$", command.CommandText);
    }

    [Fact]
    public async Task Without_the_literal_PostgreSQL_plans_every_execution_again()
    {
        // Why the interceptor exists: the same statement with LIMIT $3 never gets its generic plan.
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        foreach (var (lon, lat) in Points.Concat(Points).Concat(Points))
        {
            await using var command = new NpgsqlCommand(
                "SELECT id FROM sites WHERE location IS NOT NULL "
                + "ORDER BY location <-> ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography LIMIT $3", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = lon });
            command.Parameters.Add(new NpgsqlParameter { Value = lat });
            command.Parameters.Add(new NpgsqlParameter { Value = 7 });
            await command.ExecuteScalarAsync();
        }
        await using var plans = new NpgsqlCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%LIMIT $3'", connection);
        await using var reader = await plans.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var (generic, custom) = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.Equal(0L, generic);
        Assert.True(custom >= 15, $"custom plans {custom}");
    }
}
