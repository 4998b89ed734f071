using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InclusionMap.Core;
using InclusionMap.Core.Places;
using InclusionMap.Data.Export;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>Exports of the real catalogue, checked against the published schema file itself (not our own schema table).</summary>
public sealed class ExportTests(SeededCatalogue catalogue) : IClassFixture<SeededCatalogue>
{
    /// <summary>The published schema v1.0.2, read from its JSON file: name → (required, pattern, maxLength, type).</summary>
    private static List<(string Name, bool Required, Regex? Pattern, int? MaxLength, string Type)> PublishedSchema()
    {
        var path = Path.Combine(TestCluster.DataDirectory, "schema", "schema-lieux-mediation-numerique-v1.0.2.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("fields").EnumerateArray().Select(f =>
        {
            var c = f.TryGetProperty("constraints", out var constraints) ? constraints : default;
            bool Has(string n) => c.ValueKind == JsonValueKind.Object && c.TryGetProperty(n, out _);
            return (f.GetProperty("name").GetString()!, Has("required") && c.GetProperty("required").GetBoolean(),
                Has("pattern") ? new Regex("^(?:" + c.GetProperty("pattern").GetString() + ")$") : null,
                Has("maxLength") ? c.GetProperty("maxLength").GetInt32() : (int?)null, f.GetProperty("type").GetString()!);
        }).ToList();
    }

    private static List<string> Violations(IReadOnlyDictionary<string, string?> row, string where)
    {
        var problems = new List<string>();
        foreach (var (name, required, pattern, maxLength, type) in PublishedSchema())
        {
            var value = row.GetValueOrDefault(name);
            if (string.IsNullOrEmpty(value)) { if (required) problems.Add($"{where}: {name} missing"); continue; }
            if (pattern is not null && !pattern.IsMatch(value)) problems.Add($"{where}: {name} '{value}' does not match");
            if (maxLength is { } max && value.Length > max) problems.Add($"{where}: {name} longer than {max}");
            if (type == "number" && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                problems.Add($"{where}: {name} not a number");
            if (type == "date" && !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                problems.Add($"{where}: {name} not a date");
        }
        return problems;
    }

    private async Task<byte[]> ExportAsync(ExportFormat format, string? departement = null)
    {
        await using var db = catalogue.CreateContext();
        using var output = new MemoryStream();
        await CatalogueExporter.WriteAsync(CatalogueExporter.Sites(db, departement), output, format);
        return output.ToArray();
    }

    [Fact]
    public async Task Every_row_of_the_csv_export_validates_against_schema_v1_0_2()
    {
        var csv = Encoding.UTF8.GetString(await ExportAsync(ExportFormat.SchemaV1Csv));
        var rows = Csv.Read(new StringReader(csv)).ToList();
        var header = rows[0].Fields;
        Assert.Equal(PublishedSchema().Select(f => f.Name), header); // official column order
        Assert.Equal(await catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"), rows.Count - 1);
        var problems = rows.Skip(1)
            .SelectMany((r, i) => Violations(header.Zip(r.Fields).ToDictionary(p => p.First, p => (string?)p.Second), $"row {i + 2}"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(20)));
        Assert.Equal(rows.Count - 1, rows.Skip(1).Select(r => r.Fields[0]).Distinct().Count()); // ids unique
    }

    [Fact]
    public async Task Every_row_of_the_json_export_validates_and_keeps_coordinates_as_numbers()
    {
        using var json = JsonDocument.Parse(await ExportAsync(ExportFormat.SchemaV1Json));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(await catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"), rows.Count);
        var problems = new List<string>();
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var values = row.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : p.Value.GetString());
            problems.AddRange(Violations(values, $"object {i}"));
            if (row.TryGetProperty("latitude", out var lat)) Assert.Equal(JsonValueKind.Number, lat.ValueKind);
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(20)));
    }

    [Fact]
    public async Task The_geojson_export_is_rfc_7946_with_longitude_first()
    {
        using var json = JsonDocument.Parse(await ExportAsync(ExportFormat.GeoJson, "23"));
        var root = json.RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        Assert.False(root.TryGetProperty("crs", out _)); // RFC 7946 removed crs: WGS84 lon/lat only
        var features = root.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(await catalogue.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '23'"), features.Count);
        foreach (var f in features)
        {
            Assert.Equal("Feature", f.GetProperty("type").GetString());
            var geometry = f.GetProperty("geometry");
            if (geometry.ValueKind == JsonValueKind.Null) continue;
            Assert.Equal("Point", geometry.GetProperty("type").GetString());
            var c = geometry.GetProperty("coordinates").EnumerateArray().Select(x => x.GetDouble()).ToList();
            Assert.Equal(2, c.Count);
            // Creuse: longitude about 1.2–2.6 E, latitude about 45.6–46.5 N. Swapped axes would fail here.
            Assert.InRange(c[0], 1.2, 2.7);
            Assert.InRange(c[1], 45.6, 46.5);
            var props = f.GetProperty("properties");
            Assert.Equal(c[1], props.GetProperty("latitude").GetDouble());
            Assert.StartsWith("inclusionmap-", props.GetProperty("id").GetString());
        }
        // NetTopologySuite reads it back as GeoJSON.
        var reader = new NetTopologySuite.IO.Converters.GeoJsonConverterFactory();
        var options = new JsonSerializerOptions { Converters = { reader } };
        var collection = JsonSerializer.Deserialize<NetTopologySuite.Features.FeatureCollection>(json.RootElement.GetRawText(), options)!;
        Assert.Equal(features.Count, collection.Count);
    }

    /// <summary>Counts rows handed to the exporter, and records how many had been handed out at the first write.</summary>
    private sealed class WatchedRows(IAsyncEnumerable<Site> inner)
    {
        public int Yielded { get; private set; }

        public async IAsyncEnumerable<Site> Rows()
        {
            await foreach (var site in inner) { Yielded++; yield return site; }
        }
    }

    private sealed class WatchingStream(WatchedRows rows) : MemoryStream
    {
        public int? YieldedAtFirstWrite { get; private set; }
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) { Record(); base.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { Record(); base.Write(buffer); }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Record();
            return base.WriteAsync(buffer, offset, count, ct);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Record();
            return base.WriteAsync(buffer, ct);
        }

        private void Record()
        {
            YieldedAtFirstWrite ??= rows.Yielded;
            Writes++;
        }
    }

    [Theory]
    [InlineData(ExportFormat.SchemaV1Csv)]
    [InlineData(ExportFormat.GeoJson)]
    public async Task A_whole_export_streams_row_after_row_instead_of_loading_everything(ExportFormat format)
    {
        await using var db = catalogue.CreateContext();
        var rows = new WatchedRows(CatalogueExporter.Sites(db, null));
        await using var output = new WatchingStream(rows);
        var count = await CatalogueExporter.WriteAsync(rows.Rows(), output, format);
        Assert.Equal(count, rows.Yielded);
        // The first bytes leave while most rows are still in the database, and output flows in many writes.
        Assert.True(output.YieldedAtFirstWrite < count / 10, $"first write after {output.YieldedAtFirstWrite} of {count} rows");
        Assert.True(output.Writes > count / 400, $"{output.Writes} writes for {count} rows");
    }
}
