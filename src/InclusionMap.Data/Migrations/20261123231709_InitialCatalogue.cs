using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCatalogue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "commune_codes",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    commune_code = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commune_codes", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "departements",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    nom = table.Column<string>(type: "text", nullable: false),
                    region_code = table.Column<string>(type: "text", nullable: false),
                    zone = table.Column<string>(type: "text", nullable: false),
                    population = table.Column<long>(type: "bigint", nullable: true),
                    geometry = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_departements", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "import_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    read = table.Column<int>(type: "integer", nullable: false),
                    inserted = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    merged = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    report = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "regions",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    nom = table.Column<string>(type: "text", nullable: false),
                    zone = table.Column<string>(type: "text", nullable: false),
                    population = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_regions", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "communes",
                columns: table => new
                {
                    code = table.Column<string>(type: "text", nullable: false),
                    nom = table.Column<string>(type: "text", nullable: false),
                    departement_code = table.Column<string>(type: "text", nullable: false),
                    region_code = table.Column<string>(type: "text", nullable: false),
                    epci_siren = table.Column<string>(type: "text", nullable: true),
                    epci_nom = table.Column<string>(type: "text", nullable: true),
                    population = table.Column<int>(type: "integer", nullable: true),
                    codes_postaux = table.Column<List<string>>(type: "text[]", nullable: false),
                    geometry = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true),
                    centre = table.Column<Point>(type: "geometry(Point,4326)", nullable: true),
                    area_km2 = table.Column<double>(type: "double precision", nullable: true),
                    share_no_diploma = table.Column<double>(type: "double precision", nullable: true),
                    share_living_alone = table.Column<double>(type: "double precision", nullable: true),
                    share_single_parent_families = table.Column<double>(type: "double precision", nullable: true),
                    share_65_plus = table.Column<double>(type: "double precision", nullable: true),
                    share_25_or_under = table.Column<double>(type: "double precision", nullable: true),
                    poverty_rate = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_communes", x => x.code);
                    table.ForeignKey(
                        name: "fk_communes_departements_departement_code",
                        column: x => x.departement_code,
                        principalTable: "departements",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    pivot = table.Column<string>(type: "text", nullable: false),
                    nom = table.Column<string>(type: "text", nullable: false),
                    commune_name = table.Column<string>(type: "text", nullable: false),
                    code_postal = table.Column<string>(type: "text", nullable: false),
                    code_insee = table.Column<string>(type: "text", nullable: true),
                    adresse = table.Column<string>(type: "text", nullable: false),
                    complement_adresse = table.Column<string>(type: "text", nullable: true),
                    location = table.Column<Point>(type: "geography(Point,4326)", nullable: true),
                    latitude = table.Column<double>(
                        type: "double precision", nullable: true, computedColumnSql: "ST_Y(location::geometry)", stored: true),
                    longitude = table.Column<double>(
                        type: "double precision", nullable: true, computedColumnSql: "ST_X(location::geometry)", stored: true),
                    typologie = table.Column<List<string>>(type: "text[]", nullable: false),
                    telephone = table.Column<string>(type: "text", nullable: true),
                    courriels = table.Column<List<string>>(type: "text[]", nullable: false),
                    site_web = table.Column<List<string>>(type: "text[]", nullable: false),
                    horaires = table.Column<string>(type: "text", nullable: true),
                    presentation_resume = table.Column<string>(type: "text", nullable: true),
                    presentation_detail = table.Column<string>(type: "text", nullable: true),
                    source = table.Column<string>(type: "text", nullable: true),
                    itinerance = table.Column<string[]>(type: "text[]", nullable: false),
                    structure_parente = table.Column<string>(type: "text", nullable: true),
                    date_maj = table.Column<DateOnly>(type: "date", nullable: false),
                    services = table.Column<string[]>(type: "text[]", nullable: false),
                    publics_specifiquement_adresses = table.Column<string[]>(type: "text[]", nullable: false),
                    prise_en_charge_specifique = table.Column<string[]>(type: "text[]", nullable: false),
                    frais_a_charge = table.Column<string[]>(type: "text[]", nullable: false),
                    dispositif_programmes_nationaux = table.Column<string[]>(type: "text[]", nullable: false),
                    formations_labels = table.Column<string[]>(type: "text[]", nullable: false),
                    autres_formations_labels = table.Column<List<string>>(type: "text[]", nullable: false),
                    modalites_acces = table.Column<string[]>(type: "text[]", nullable: false),
                    modalites_accompagnement = table.Column<string[]>(type: "text[]", nullable: false),
                    fiche_acces_libre = table.Column<string>(type: "text", nullable: true),
                    prise_rdv = table.Column<string>(type: "text", nullable: true),
                    commune_code = table.Column<string>(type: "text", nullable: true),
                    departement_code = table.Column<string>(type: "text", nullable: true),
                    synthetic = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sites", x => x.id);
                    table.ForeignKey(
                        name: "fk_sites_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "site_sources",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    site_id = table.Column<long>(type: "bigint", nullable: false),
                    dataset = table.Column<string>(type: "text", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: false),
                    source_file = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    row_number = table.Column<int>(type: "integer", nullable: false),
                    date_maj = table.Column<DateOnly>(type: "date", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    record_hash = table.Column<string>(type: "text", nullable: false),
                    record = table.Column<string>(type: "jsonb", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_sources", x => x.id);
                    table.ForeignKey(
                        name: "fk_site_sources_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_communes_departement_code",
                table: "communes",
                column: "departement_code");

            migrationBuilder.CreateIndex(
                name: "ix_communes_geometry",
                table: "communes",
                column: "geometry")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_departements_geometry",
                table: "departements",
                column: "geometry")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_site_sources_dataset_source_id",
                table: "site_sources",
                columns: new[] { "dataset", "source_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_site_sources_site_id",
                table: "site_sources",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_sites_commune_code",
                table: "sites",
                column: "commune_code");

            migrationBuilder.CreateIndex(
                name: "ix_sites_departement_code",
                table: "sites",
                column: "departement_code");

            migrationBuilder.CreateIndex(
                name: "ix_sites_location",
                table: "sites",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commune_codes");

            migrationBuilder.DropTable(
                name: "import_runs");

            migrationBuilder.DropTable(
                name: "regions");

            migrationBuilder.DropTable(
                name: "site_sources");

            migrationBuilder.DropTable(
                name: "sites");

            migrationBuilder.DropTable(
                name: "communes");

            migrationBuilder.DropTable(
                name: "departements");
        }
    }
}
