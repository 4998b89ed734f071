using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <inheritdoc />
    public partial class Analysis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "ifn_low_diploma",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ifn_no_4g_coverage",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ifn_no_thd_coverage",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ifn_older_65",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ifn_poverty",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ifn_total",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "illectronism_high",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "illectronism_imputed",
                table: "communes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "illectronism_low",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "illectronism_rate",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "people_in_need",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "population_15_plus",
                table: "communes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "territory_class",
                table: "communes",
                type: "text",
                nullable: true);

            // The coverage analysis measures from commune centres to sites on the sphere: index the geography form.
            migrationBuilder.Sql("CREATE INDEX ix_communes_centre_geography ON communes USING gist ((centre::geography))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_communes_centre_geography");

            migrationBuilder.DropColumn(
                name: "ifn_low_diploma",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "ifn_no_4g_coverage",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "ifn_no_thd_coverage",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "ifn_older_65",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "ifn_poverty",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "ifn_total",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "illectronism_high",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "illectronism_imputed",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "illectronism_low",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "illectronism_rate",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "people_in_need",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "population_15_plus",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "territory_class",
                table: "communes");
        }
    }
}
