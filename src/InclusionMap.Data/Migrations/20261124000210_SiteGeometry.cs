using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <inheritdoc />
    public partial class SiteGeometry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Point>(
                name: "location_geometry",
                table: "sites",
                type: "geometry(Point,4326)",
                nullable: true,
                computedColumnSql: "location::geometry",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_sites_location_geometry",
                table: "sites",
                column: "location_geometry")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sites_location_geometry",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "location_geometry",
                table: "sites");
        }
    }
}
