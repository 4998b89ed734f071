using System.Globalization;
using System.Text;
using System.Text.Json;
using InclusionMap.Core;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Data.Export;

/// <summary>
/// Writes the catalogue back as open data: the national schema v1.0.2 in CSV (official column order, '|' between
/// values, RFC 4180 quoting) or JSON, or RFC 7946 GeoJSON. Rows stream from the database to the output one by one, so a
/// whole country never sits in memory. Each site is exported once with the id <c>inclusionmap-{site id}</c>, stable
/// across exports; its sources stay listed in the API.
/// </summary>
public static class CatalogueExporter
{
    public static ExportFormat ParseFormat(string name) => name.ToLowerInvariant() switch
    {
        "schema-v1-csv" => ExportFormat.SchemaV1Csv,
        "schema-v1-json" => ExportFormat.SchemaV1Json,
        "geojson" => ExportFormat.GeoJson,
        _ => throw new ArgumentException($"Unknown export format '{name}': schema-v1-csv, schema-v1-json or geojson."),
    };

    public static string ExportId(long siteId) => "inclusionmap-" + siteId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The real sites, in id order, optionally of one département, streamed from the database.</summary>
    public static IAsyncEnumerable<Site> Sites(CatalogueDbContext db, string? departement) =>
        db.Sites.AsNoTracking().Where(s => departement == null || s.DepartementCode == departement)
            .OrderBy(s => s.Id).AsAsyncEnumerable();

    /// <summary>Writes the sites as they come; returns how many were written.</summary>
    public static async Task<int> WriteAsync(
        IAsyncEnumerable<Site> sites, Stream output, ExportFormat format, CancellationToken ct = default)
    {
        return format switch
        {
            ExportFormat.SchemaV1Csv => await WriteCsvAsync(sites, output, ct),
            _ => await WriteJsonAsync(sites, output, format == ExportFormat.GeoJson, ct),
        };
    }

    private static async Task<int> WriteCsvAsync(IAsyncEnumerable<Site> sites, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        // Open data for machines: exact cells (no formula escaping), validated against the official schema.
        await using var csv = Csv.Exact(writer);
        Csv.WriteRow(csv, SchemaV1.Fields.Select(f => f.Name));
        var count = 0;
        await foreach (var site in sites.WithCancellation(ct))
        {
            var record = SiteRecord.ToRecord(site, ExportId(site.Id));
            Csv.WriteRow(csv, SchemaV1.Fields.Select(f => record[f.Name]));
            if (++count % 200 == 0) await csv.FlushAsync(ct);
        }
        await csv.FlushAsync(ct);
        return count;
    }

    private static async Task<int> WriteJsonAsync(IAsyncEnumerable<Site> sites, Stream output, bool geoJson, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(
            output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        if (geoJson)
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
        }
        else json.WriteStartArray();
        var count = 0;
        await foreach (var site in sites.WithCancellation(ct))
        {
            var record = SiteRecord.ToRecord(site, ExportId(site.Id));
            if (geoJson)
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteString("id", ExportId(site.Id));
                if (site.Location is { } p)
                {
                    // RFC 7946: [longitude, latitude], WGS84, no crs member.
                    json.WriteStartObject("geometry");
                    json.WriteString("type", "Point");
                    json.WriteStartArray("coordinates");
                    json.WriteNumberValue(p.X);
                    json.WriteNumberValue(p.Y);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                else json.WriteNull("geometry");
                json.WritePropertyName("properties");
            }
            json.WriteStartObject();
            foreach (var (field, value) in record.Values)
            {
                if (value is null) continue;
                if (field is "latitude" or "longitude") json.WriteNumber(field, double.Parse(value, CultureInfo.InvariantCulture));
                else json.WriteString(field, value);
            }
            json.WriteEndObject();
            if (geoJson) json.WriteEndObject();
            if (++count % 200 == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        if (geoJson) json.WriteEndObject();
        await json.FlushAsync(ct);
        return count;
    }
}
