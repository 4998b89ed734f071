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
            migrationBuilder.Sql(TileShapes.CreateSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_sites_location_3857; DROP MATERIALIZED VIEW IF EXISTS commune_shapes;");
        }
    }
}
