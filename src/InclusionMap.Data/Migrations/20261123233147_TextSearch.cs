using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace InclusionMap.Data.Migrations
{
    /// <inheritdoc />
    public partial class TextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,");

            // unaccent() is STABLE (its dictionary could change); a generated column needs an IMMUTABLE function,
            // so pin the dictionary explicitly.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION im_unaccent(text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
                """);

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "sites",
                type: "text",
                nullable: false,
                computedColumnSql: "lower(im_unaccent(nom || ' ' || commune_name || ' ' || adresse))",
                stored: true);

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "communes",
                type: "text",
                nullable: false,
                computedColumnSql: "lower(im_unaccent(nom))",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_sites_search_text",
                table: "sites",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_communes_search_text",
                table: "communes",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sites_search_text",
                table: "sites");

            migrationBuilder.DropIndex(
                name: "ix_communes_search_text",
                table: "communes");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "sites");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "communes");

            migrationBuilder.Sql("DROP FUNCTION IF EXISTS im_unaccent(text)");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:postgis", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");
        }
    }
}
