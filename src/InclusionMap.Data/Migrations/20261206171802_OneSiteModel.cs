using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <summary>
    /// The benchmark's scale-up flag leaves the catalogue (the bench keeps its own databases): the Mercator index of the
    /// site tiles, which was partial on it, is rebuilt over every site.
    /// </summary>
    public partial class OneSiteModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_sites_location_3857");
            migrationBuilder.DropColumn(
                name: "synthetic",
                table: "sites");
            migrationBuilder.Sql("CREATE INDEX ix_sites_location_3857 ON sites USING gist (ST_Transform(location::geometry, 3857))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "synthetic",
                table: "sites",
                type: "boolean",
                nullable: false,
                defaultValue: false);
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_sites_location_3857");
            migrationBuilder.Sql(
                "CREATE INDEX ix_sites_location_3857 ON sites USING gist (ST_Transform(location::geometry, 3857)) WHERE NOT synthetic");
        }
    }
}
