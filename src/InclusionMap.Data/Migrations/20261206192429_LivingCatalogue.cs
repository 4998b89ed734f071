using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <inheritdoc />
    public partial class LivingCatalogue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_confirmed",
                table: "sites",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retired_at",
                table: "sites",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_seen_at",
                table: "site_sources",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retired_at",
                table: "site_sources",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "actor",
                table: "import_runs",
                type: "text",
                nullable: false,
                defaultValue: "import");

            migrationBuilder.AddColumn<bool>(
                name: "applied",
                table: "import_runs",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "restored",
                table: "import_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "retired",
                table: "import_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "import_runs",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "site_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    cause = table.Column<string>(type: "text", nullable: false),
                    dataset = table.Column<string>(type: "text", nullable: true),
                    field = table.Column<string>(type: "text", nullable: true),
                    old_value = table.Column<string>(type: "text", nullable: true),
                    new_value = table.Column<string>(type: "text", nullable: true),
                    run_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_history", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sources",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false),
                    url = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    dataset = table.Column<string>(type: "text", nullable: false),
                    schedule = table.Column<string>(type: "text", nullable: true),
                    time_zone = table.Column<string>(type: "text", nullable: false),
                    complete = table.Column<bool>(type: "boolean", nullable: false),
                    max_retired_share = table.Column<double>(type: "double precision", nullable: false),
                    owner = table.Column<string>(type: "text", nullable: true),
                    licence = table.Column<string>(type: "text", nullable: true),
                    attribution = table.Column<string>(type: "text", nullable: true),
                    origin = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    etag = table.Column<string>(type: "text", nullable: true),
                    last_modified = table.Column<string>(type: "text", nullable: true),
                    content_hash = table.Column<string>(type: "text", nullable: true),
                    refused_hash = table.Column<string>(type: "text", nullable: true),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_success_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    message = table.Column<string>(type: "text", nullable: true),
                    last_run_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sources", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_site_history_site_id_id",
                table: "site_history",
                columns: new[] { "site_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sources_dataset",
                table: "sources",
                column: "dataset",
                unique: true);

            // A catalogue imported before: every record was last seen when it was imported, and its site confirmed then.
            migrationBuilder.Sql("""
                UPDATE site_sources SET last_seen_at = imported_at;
                UPDATE sites s SET last_confirmed = x.seen FROM (SELECT site_id, max(imported_at) AS seen FROM site_sources GROUP BY site_id) x
                 WHERE x.site_id = s.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "site_history");

            migrationBuilder.DropTable(
                name: "sources");

            migrationBuilder.DropColumn(
                name: "last_confirmed",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "last_seen_at",
                table: "site_sources");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "site_sources");

            migrationBuilder.DropColumn(
                name: "actor",
                table: "import_runs");

            migrationBuilder.DropColumn(
                name: "applied",
                table: "import_runs");

            migrationBuilder.DropColumn(
                name: "restored",
                table: "import_runs");

            migrationBuilder.DropColumn(
                name: "retired",
                table: "import_runs");

            migrationBuilder.DropColumn(
                name: "source",
                table: "import_runs");
        }
    }
}
