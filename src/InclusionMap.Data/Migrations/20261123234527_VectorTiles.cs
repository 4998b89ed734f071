using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <summary>Vector tiles: per-zoom commune shapes in Web Mercator and a Mercator index on site points.</summary>
    public partial class VectorTiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CreateSql);
        }

        // As written on 2026-11-23 (migrations are history: later changes go into later migrations).
        private static string CreateSql => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
            CREATE MATERIALIZED VIEW commune_shapes AS
            SELECT c.code, l.level,
                   ST_Multi(CASE WHEN l.tolerance > 0
                                 THEN ST_SimplifyPreserveTopology(ST_Transform(c.geometry, 3857), l.tolerance)
                                 ELSE ST_Transform(c.geometry, 3857) END)::geometry(MultiPolygon, 3857) AS geom
              FROM communes c
             CROSS JOIN (VALUES (0, {TileShapes.Tolerance(0):R}), (1, {TileShapes.Tolerance(1):R}),
                                (2, {TileShapes.Tolerance(2):R}), (3, 0.0))
                     AS l(level, tolerance)
             WHERE c.geometry IS NOT NULL;
            CREATE UNIQUE INDEX ix_commune_shapes_code_level ON commune_shapes (code, level);
            CREATE INDEX ix_commune_shapes_geom ON commune_shapes USING gist (geom);
            CREATE INDEX ix_sites_location_3857 ON sites USING gist (ST_Transform(location::geometry, 3857)) WHERE NOT synthetic;
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_sites_location_3857; DROP MATERIALIZED VIEW IF EXISTS commune_shapes;");
        }
    }
}
