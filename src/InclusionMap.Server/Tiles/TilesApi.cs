using System.Globalization;
using System.Security.Cryptography;
using InclusionMap.Data;
using InclusionMap.Data.Sites;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace InclusionMap.Server.Tiles;

/// <summary>
/// Mapbox vector tiles made by PostGIS (<c>ST_AsMVT</c>): <c>/tiles/sites/{z}/{x}/{y}.mvt</c> (layer <c>sites</c>,
/// clustered below zoom 9) and <c>/tiles/communes/{z}/{x}/{y}.mvt</c> (layer <c>communes</c>, simplified per zoom band,
/// optionally <c>?departement=23</c>). Tiles are cached in memory per catalogue version and carry <c>ETag</c> and
/// <c>Cache-Control</c>, so browsers, a reverse proxy or a CDN can keep them.
/// </summary>
public static class TilesApi
{
    public const string ContentType = "application/vnd.mapbox-vector-tile";
    public const int MaxZoom = 22;
    /// <summary>Below this zoom, sites are grouped in grid cells (features carry <c>count</c>).</summary>
    public const int ClusterBelowZoom = 9;

    public static IServiceCollection AddTiles(this IServiceCollection services)
    {
        services.AddSingleton<TileCache>();
        services.AddSingleton<CatalogueVersion>();
        services.AddHostedService(sp => sp.GetRequiredService<CatalogueVersion>());
        return services;
    }

    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        var tiles = app.MapGroup("/tiles").WithTags("Tiles");
        tiles.MapGet("/sites/{z}/{x}/{y}.mvt", (string z, string x, string y, HttpContext http, ReadRetry db, TileCache cache,
                CatalogueVersion version, CancellationToken ct) =>
            ServeAsync("sites", z, x, y, null, http, cache, version, (t, c) => SitesTileAsync(db, t, c), ct));
        tiles.MapGet("/communes/{z}/{x}/{y}.mvt", (string z, string x, string y, string? departement, HttpContext http, ReadRetry db,
                TileCache cache, CatalogueVersion version, CancellationToken ct) =>
            ServeAsync("communes", z, x, y, departement, http, cache, version, (t, c) => CommunesTileAsync(db, t, departement, c), ct));
        return app;
    }

    public readonly record struct TileAddress(int Z, int X, int Y);

    /// <summary>Parses z/x/y; null with a reason when they are not a tile of the XYZ scheme.</summary>
    public static TileAddress? Parse(string z, string x, string y, out string? error)
    {
        error = null;
        if (!int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out var zi) || zi > MaxZoom)
            error = $"z must be an integer from 0 to {MaxZoom}.";
        else if (!int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var xi) || xi >= 1 << zi)
            error = $"x must be an integer from 0 to {(1 << zi) - 1} at zoom {zi}.";
        else if (!int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var yi) || yi >= 1 << zi)
            error = $"y must be an integer from 0 to {(1 << zi) - 1} at zoom {zi}.";
        else return new TileAddress(zi, xi, yi);
        return null;
    }

    internal sealed record CachedTile(byte[] Bytes, string ETag);

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };

    private static async Task<IResult> ServeAsync(string layer, string z, string x, string y, string? filter, HttpContext http,
        TileCache cache, CatalogueVersion version, Func<TileAddress, CancellationToken, Task<byte[]>> render, CancellationToken ct)
    {
        if (Parse(z, x, y, out var error) is not { } tile)
            return TypedResults.Problem(error, statusCode: 400, title: "Invalid tile address", extensions: Code("INVALID_TILE_ADDRESS"));
        if (filter is not null && (filter.Length is < 2 or > 3 || !filter.All(char.IsAsciiLetterOrDigit)))
            return TypedResults.Problem("departement must be a département code such as 23, 2A or 974.", statusCode: 400,
                title: "Invalid filter", extensions: Code("INVALID_FILTER"));

        var current = await version.CurrentAsync(ct);
        var key = $"{layer}/{tile.Z}/{tile.X}/{tile.Y}/{filter}/{current}";
        if (!cache.Entries.TryGetValue(key, out CachedTile? cached))
        {
            var bytes = await render(tile, ct);
            cached = new CachedTile(bytes, $"\"{current}-{Convert.ToHexString(SHA256.HashData(bytes), 0, 8)}\"");
            cache.Entries.Set(key, cached,
                new MemoryCacheEntryOptions { Size = TileCache.SizeOf(key, cached), SlidingExpiration = TimeSpan.FromHours(1) });
        }
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.ETag = cached!.ETag;
        http.Response.Headers.AccessControlAllowOrigin = "*";
        if (http.Request.Headers.IfNoneMatch.Any(v => v == cached.ETag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        // An empty tile is an empty protobuf message: 200 with no bytes, not an error.
        return TypedResults.Bytes(cached.Bytes, ContentType);
    }

    /// <summary>
    /// Sites as points; below <see cref="ClusterBelowZoom"/> they are grouped by grid cells aligned on absolute Web Mercator
    /// coordinates (64 cells per tile side), so a cluster never appears in two tiles. The Mercator expression index serves the box filter.
    /// </summary>
    private static async Task<byte[]> SitesTileAsync(ReadRetry db, TileAddress t, CancellationToken ct) =>
        await QueryTileAsync(db, SitesTileSql(t.Z), ct, t.Z, t.X, t.Y);

    /// <summary>The SQL of a sites tile (parameters z, x, y). Public so the benchmark times exactly this SQL as the floor.</summary>
    public static string SitesTileSql(int zoom) => zoom >= ClusterBelowZoom
            ? $"""
              WITH b AS (SELECT ST_TileEnvelope($1, $2, $3) AS env, ST_TileEnvelope($1, $2, $3, margin => 0.0625) AS q),
              mvt AS (
                SELECT ST_AsMVTGeom(ST_Transform(s.location::geometry, 3857), b.env, 4096, 256, true) AS geom,
                       s.id, s.nom, 1 AS count
                  FROM sites s, b
                 WHERE ST_Transform(s.location::geometry, 3857) && b.q{VisibleSites})
              SELECT ST_AsMVT(mvt, 'sites', 4096, 'geom') FROM mvt
              """
            : $"""
              WITH b AS (SELECT ST_TileEnvelope($1, $2, $3) AS env),
              cell AS (SELECT (ST_XMax(env) - ST_XMin(env)) / 64 AS size FROM b),
              pts AS (
                SELECT s.id, s.nom, ST_Transform(s.location::geometry, 3857) AS g
                  FROM sites s, b
                 WHERE ST_Transform(s.location::geometry, 3857) && b.env{VisibleSites}),
              clusters AS (
                SELECT ST_Centroid(ST_Collect(g)) AS g, count(*) AS count, min(id) AS id, min(nom) AS nom
                  FROM pts, cell GROUP BY ST_SnapToGrid(g, cell.size)),
              mvt AS (
                SELECT ST_AsMVTGeom(c.g, b.env, 4096, 256, true) AS geom, c.count,
                       CASE WHEN c.count = 1 THEN c.id END AS id, CASE WHEN c.count = 1 THEN c.nom END AS nom
                  FROM clusters c, b)
              SELECT ST_AsMVT(mvt, 'sites', 4096, 'geom') FROM mvt
              """;

    /// <summary>
    /// The sites every search shows (not retired), as <see cref="SiteQuery"/> says: conditions without parameters, so the
    /// tile's own $1–$3 stay as they are.
    /// </summary>
    private static readonly string VisibleSites = VisibleSitesConditions();

    private static string VisibleSitesConditions()
    {
        var sql = new SqlStatement();
        sql.ConditionsOpen();
        SiteQuery.AppendConditions(sql, new SiteFilter());
        return sql.ToString();
    }

    private static async Task<byte[]> CommunesTileAsync(ReadRetry db, TileAddress t, string? departement, CancellationToken ct)
    {
        const string sql = """
            WITH b AS (SELECT ST_TileEnvelope($1, $2, $3) AS env),
            mvt AS (
              SELECT ST_AsMVTGeom(cs.geom, b.env, 4096, 64, true) AS geom,
                     c.code, c.nom, c.departement_code AS departement, c.population,
                     round((c.population / NULLIF(c.area_km2, 0))::numeric, 1)::float8 AS density,
                     round(c.illectronism_rate::numeric, 4)::float8 AS illectronism,
                     round(c.people_in_need::numeric)::float8 AS people_in_need,
                     round(c.ifn_total::numeric, 2)::float8 AS ifn
                FROM commune_shapes cs JOIN communes c ON c.code = cs.code, b
               WHERE cs.level = $4 AND cs.geom && b.env AND ($5::text IS NULL OR c.departement_code = $5))
            SELECT ST_AsMVT(mvt, 'communes', 4096, 'geom') FROM mvt WHERE geom IS NOT NULL
            """;
        return await QueryTileAsync(db, sql, ct, t.Z, t.X, t.Y, TileShapes.LevelForZoom(t.Z), departement);
    }

    /// <summary>A tile is one SELECT: it runs once more on a fresh connection when its connection broke.</summary>
    private static Task<byte[]> QueryTileAsync(ReadRetry db, string sql, CancellationToken ct, params object?[] args) =>
        db.RunAsync(async token =>
        {
            await using var command = db.DataSource.CreateCommand(sql);
            foreach (var a in args)
                command.Parameters.Add(a is null
                    ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }
                    : new NpgsqlParameter { Value = a });
            return await command.ExecuteScalarAsync(token) as byte[] ?? [];
        }, ct);
}
