using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Data.Import;

/// <summary>
/// Loads territories: régions and départements (decoupage-administratif JSON, département polygons), communes
/// (polygons GeoJSON), their population and EPCI, census indicators, and every code that designates a commune.
/// Bulk rows go through binary COPY into a temporary table, then one upsert statement.
/// </summary>
internal sealed class TerritoryLoader(NpgsqlConnection connection)
{
    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), 4326)) },
    };

    public Task LoadAsync(string path, ImportFormat format, FileReport report, CancellationToken ct) => format switch
    {
        ImportFormat.RegionsJson => LoadRegionsAsync(path, report, ct),
        ImportFormat.DepartementsJson => LoadDepartementsAsync(path, report, ct),
        ImportFormat.DepartementsGeoJson => LoadDepartementPolygonsAsync(path, report, ct),
        ImportFormat.CommunesGeoJson => LoadCommunePolygonsAsync(path, report, ct),
        ImportFormat.CommunesPopulationCsv => LoadPopulationAsync(path, report, ct),
        ImportFormat.CensusIndicatorsCsv => LoadCensusAsync(path, report, ct),
        ImportFormat.CommunesJson => LoadCommuneCodesAsync(path, report, ct),
        ImportFormat.IfnCommunesCsv => LoadIfnAsync(path, report, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private async Task LoadRegionsAsync(string path, FileReport report, CancellationToken ct)
    {
        var rows = SourceRows.ReadJson(path).ToList();
        report.Read = rows.Count;
        await CountUpsertAsync(report, """
            INSERT INTO regions (code, nom, zone) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
            ON CONFLICT (code) DO UPDATE SET nom = excluded.nom, zone = excluded.zone
             WHERE (regions.nom, regions.zone) IS DISTINCT FROM (excluded.nom, excluded.zone)
            RETURNING xmax = 0
            """, ct, rows.Select(r => r["code"]).ToArray(), rows.Select(r => r["nom"]).ToArray(),
            rows.Select(r => r["zone"] ?? "").ToArray());
    }

    private async Task LoadDepartementsAsync(string path, FileReport report, CancellationToken ct)
    {
        var rows = SourceRows.ReadJson(path).ToList();
        report.Read = rows.Count;
        await CountUpsertAsync(report, """
            INSERT INTO departements (code, nom, region_code, zone) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
            ON CONFLICT (code) DO UPDATE SET nom = excluded.nom, region_code = excluded.region_code, zone = excluded.zone
             WHERE (departements.nom, departements.region_code, departements.zone)
                   IS DISTINCT FROM (excluded.nom, excluded.region_code, excluded.zone)
            RETURNING xmax = 0
            """, ct, rows.Select(r => r["code"]).ToArray(), rows.Select(r => r["nom"]).ToArray(),
            rows.Select(r => r["region"] ?? "").ToArray(), rows.Select(r => r["zone"] ?? "").ToArray());
    }

    private async Task LoadDepartementPolygonsAsync(string path, FileReport report, CancellationToken ct)
    {
        var features = ReadFeatures(path, "insee_dep", "code");
        report.Read = features.Count;
        await CopyGeometriesAsync(features.Select(f => (Code: Attr(f, "insee_dep") ?? Attr(f, "code")!,
            Name: Attr(f, "lib_dep") ?? Attr(f, "nom"), f.Geometry)), ct);
        await CountUpsertAsync(report, """
            INSERT INTO departements (code, nom, region_code, zone, geometry)
            SELECT code, COALESCE(name, code), '', '', geometry FROM tmp_geometries
            ON CONFLICT (code) DO UPDATE SET geometry = excluded.geometry
             WHERE NOT ST_Equals(departements.geometry, excluded.geometry) OR departements.geometry IS NULL
            RETURNING xmax = 0
            """, ct);
    }

    private async Task LoadCommunePolygonsAsync(string path, FileReport report, CancellationToken ct)
    {
        var features = ReadFeatures(path, "code");
        report.Read = features.Count;
        await CopyGeometriesAsync(features.Select(f => (Code: Attr(f, "code")!, Name: Attr(f, "nom"), f.Geometry)), ct,
            features.Select(f => (Attr(f, "departement"), Attr(f, "region"),
                int.TryParse(Attr(f, "population"), out var p) ? p : (int?)null)).ToList());
        // A commune needs its département row; files loaded alone still import.
        await ExecuteAsync("""
            INSERT INTO departements (code, nom, region_code, zone)
            SELECT DISTINCT departement_code, departement_code, COALESCE(region_code, ''), '' FROM tmp_geometries
             WHERE departement_code IS NOT NULL ON CONFLICT (code) DO NOTHING
            """, ct);
        await CountUpsertAsync(report, """
            INSERT INTO communes (code, nom, departement_code, region_code, population, codes_postaux, geometry)
            SELECT code, COALESCE(name, code), departement_code, COALESCE(region_code, ''), population, '{}', geometry FROM tmp_geometries
            ON CONFLICT (code) DO UPDATE SET nom = excluded.nom, departement_code = excluded.departement_code,
                   region_code = excluded.region_code, population = COALESCE(excluded.population, communes.population),
                   geometry = excluded.geometry
             WHERE (communes.nom, communes.departement_code, communes.region_code, communes.population) IS DISTINCT FROM
                   (excluded.nom, excluded.departement_code, excluded.region_code, COALESCE(excluded.population, communes.population))
                OR communes.geometry IS NULL OR NOT ST_Equals(communes.geometry, excluded.geometry)
            RETURNING xmax = 0
            """, ct);
        // The centre is a point inside the polygon (a centroid can fall outside a crescent-shaped commune).
        await ExecuteAsync("""
            UPDATE communes c SET centre = ST_PointOnSurface(c.geometry), area_km2 = ST_Area(c.geometry::geography) / 1e6
              FROM tmp_geometries t WHERE c.code = t.code
            """, ct);
        report.Unchanged = report.Read - report.Inserted - report.Updated;
        await ExecuteAsync(TileShapes.RefreshSql, ct);
    }

    private async Task LoadPopulationAsync(string path, FileReport report, CancellationToken ct)
    {
        var rows = SourceRows.ReadCsv(path).ToList();
        report.Read = rows.Count;
        var communes = rows.Where(r => r["type"] == "commune-actuelle").ToList();
        var updated = await ScalarAsync<long>("""
            WITH input AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
                             AS i(code, nom, epci_siren, epci_nom, population, codes_postaux)),
                 changed AS (
                   UPDATE communes c SET nom = i.nom, epci_siren = NULLIF(i.epci_siren, ''), epci_nom = NULLIF(i.epci_nom, ''),
                          population = i.population, codes_postaux = string_to_array(NULLIF(i.codes_postaux, ''), ';')
                     FROM input i WHERE c.code = i.code
                      AND (c.nom, c.epci_siren, c.epci_nom, c.population, c.codes_postaux) IS DISTINCT FROM
                          (i.nom, NULLIF(i.epci_siren, ''), NULLIF(i.epci_nom, ''), i.population,
                           COALESCE(string_to_array(NULLIF(i.codes_postaux, ''), ';'), '{}'))
                   RETURNING 1)
            SELECT count(*) FROM changed
            """, ct, communes.Select(r => r["code_insee"]).ToArray(), communes.Select(r => r["nom"]).ToArray(),
            communes.Select(r => r["epci_siren"]).ToArray(), communes.Select(r => r["epci_nom"]).ToArray(),
            communes.Select(r => int.TryParse(r["population"], out var p) ? p : (int?)null).ToArray(),
            communes.Select(r => r["codes_postaux"]).ToArray());
        var known = await ScalarAsync<long>("SELECT count(*) FROM communes WHERE code = ANY($1)", ct,
            communes.Select(r => r["code_insee"]).ToArray());
        report.Updated = (int)updated;
        report.Unchanged = (int)known - (int)updated;
        report.Skipped = rows.Count - (int)known;
        // Arrondissements municipaux designate their commune (75101 → 75056).
        var arrondissements = rows.Where(r => r["type"] == "arrondissement-municipal"
            && !string.IsNullOrEmpty(r["commune_parente"])).ToList();
        await UpsertCodesAsync(arrondissements.Select(r => (r["code_insee"]!, r["commune_parente"]!, "arrondissement-municipal")).ToList(),
            ct);
    }

    private async Task LoadCensusAsync(string path, FileReport report, CancellationToken ct)
    {
        var rows = SourceRows.ReadCsv(path).ToList();
        report.Read = rows.Count;
        double?[] Share(string column) => rows
            .Select(r => double.TryParse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v / 100.0
                : (double?)null)
            .ToArray();
        var updated = await ScalarAsync<long>("""
            WITH input AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
                                                $7::float8[])
                           AS i(code, no_diploma, alone, single_parent, s65, s25, poverty)),
                 changed AS (
                   UPDATE communes c SET share_no_diploma = i.no_diploma, share_living_alone = i.alone,
                          share_single_parent_families = i.single_parent,
                          share_65_plus = i.s65, share_25_or_under = i.s25, poverty_rate = i.poverty
                     FROM input i WHERE c.code = i.code
                      AND (c.share_no_diploma, c.share_living_alone, c.share_single_parent_families, c.share_65_plus,
                           c.share_25_or_under, c.poverty_rate)
                          IS DISTINCT FROM (i.no_diploma, i.alone, i.single_parent, i.s65, i.s25, i.poverty)
                   RETURNING 1)
            SELECT count(*) FROM changed
            """, ct, rows.Select(r => r["CODE_INSEE"]).ToArray(), Share("TX_NSCOL15P"), Share("TX_MENSEUL"), Share("TX_FAMMONO"),
            Share("TX_65ETPLUS"), Share("TX_25ETMOINS"), Share("TX_POVERTY"));
        var known = await ScalarAsync<long>("SELECT count(*) FROM communes WHERE code = ANY($1)", ct,
            rows.Select(r => r["CODE_INSEE"]).ToArray());
        report.Updated = (int)updated;
        report.Unchanged = (int)known - (int)updated;
        report.Skipped = rows.Count - (int)known;
    }

    /// <summary>
    /// The Indice de Fragilité Numérique per commune (La Mednum): scores 0–10. Rows for arrondissements municipaux or
    /// codes that are not current communes are reported and skipped (the index is not additive: no roll-up).
    /// </summary>
    private async Task LoadIfnAsync(string path, FileReport report, CancellationToken ct)
    {
        var rows = SourceRows.ReadCsv(path).ToList();
        report.Read = rows.Count;
        var current = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT code FROM communes", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) current.Add(reader.GetString(0));
        var kept = new List<(string Code, double?[] Scores)>();
        string[] columns = ["total", "no_thd_coverage_rate", "no_4g_coverage_rate", "poverty_rate", "older_65_rate", "nscol15p_rate"];
        var line = 1;
        foreach (var row in rows)
        {
            line++;
            var code = row["code"] ?? "";
            if (!current.Contains(code))
            {
                report.Skipped++;
                report.Issues.Add(new ImportIssue(line, code, "code", code,
                    "not a current commune (arrondissement or former code): the index is not additive, row skipped", ImportIssue.Warning));
                continue;
            }
            var scores = columns.Select(c => double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                && v is >= 0 and <= 10 ? v : (double?)null).ToArray();
            if (scores[0] is null)
                report.Issues.Add(new ImportIssue(line, code, "total", row["total"], "missing or outside 0–10: the commune keeps no IFN",
                    ImportIssue.Warning));
            kept.Add((code, scores));
        }
        double?[] Column(int i) => kept.Select(k => k.Scores[i]).ToArray();
        var updated = await ScalarAsync<long>("""
            WITH input AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
                                                $7::float8[])
                           AS i(code, total, thd, g4, poverty, older, diploma)),
                 changed AS (
                   UPDATE communes c SET ifn_total = i.total, ifn_no_thd_coverage = i.thd, ifn_no_4g_coverage = i.g4,
                          ifn_poverty = i.poverty,
                          ifn_older_65 = i.older, ifn_low_diploma = i.diploma
                     FROM input i WHERE c.code = i.code
                      AND (c.ifn_total, c.ifn_no_thd_coverage, c.ifn_no_4g_coverage, c.ifn_poverty, c.ifn_older_65, c.ifn_low_diploma)
                          IS DISTINCT FROM (i.total, i.thd, i.g4, i.poverty, i.older, i.diploma)
                   RETURNING 1)
            SELECT count(*) FROM changed
            """, ct, kept.Select(k => k.Code).ToArray(), Column(0), Column(1), Column(2), Column(3), Column(4), Column(5));
        report.Updated = (int)updated;
        report.Unchanged = kept.Count - (int)updated;
    }

    /// <summary>Every code that designates a current commune, from the official commune list.</summary>
    private async Task LoadCommuneCodesAsync(string path, FileReport report, CancellationToken ct)
    {
        using var stream = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        var codes = new List<(string Code, string Current, string Kind)>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            report.Read++;
            var code = entry.GetProperty("code").GetString()!;
            var type = entry.GetProperty("type").GetString()!;
            string? current = type switch
            {
                "commune-actuelle" => code,
                "arrondissement-municipal" => entry.TryGetProperty("commune", out var c) ? c.GetString() : null,
                _ => entry.TryGetProperty("chefLieu", out var chef) ? chef.GetString() : null,
            };
            if (current is null) { report.Skipped++; continue; }
            // The commune itself outranks a homonymous delegated code (a commune déléguée often keeps the code of its chef-lieu).
            if (type != "commune-actuelle" && code == current) continue;
            codes.Add((code, current, type));
            if (type == "commune-actuelle" && entry.TryGetProperty("anciensCodes", out var former))
                foreach (var old in former.EnumerateArray()) codes.Add((old.GetString()!, code, "ancien-code"));
        }
        var (inserted, updated) = await UpsertCodesAsync(codes, ct);
        report.Inserted = inserted;
        report.Updated = updated;
        report.Unchanged = codes.DistinctBy(c => c.Code).Count() - inserted - updated;
    }

    private async Task<(int Inserted, int Updated)> UpsertCodesAsync(List<(string Code, string Current, string Kind)> codes,
        CancellationToken ct)
    {
        // A current commune's own code wins over any other use of the same code.
        var distinct = codes.GroupBy(c => c.Code).Select(g => g.OrderBy(c => c.Kind == "commune-actuelle" ? 0 : 1).First()).ToList();
        var probe = new FileReport { File = "", Format = "" };
        await CountUpsertAsync(probe, """
            INSERT INTO commune_codes (code, commune_code, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
            ON CONFLICT (code) DO UPDATE SET commune_code = excluded.commune_code, kind = excluded.kind
             WHERE (commune_codes.commune_code, commune_codes.kind) IS DISTINCT FROM (excluded.commune_code, excluded.kind)
            RETURNING xmax = 0
            """, ct, distinct.Select(c => c.Code).ToArray(), distinct.Select(c => c.Current).ToArray(),
            distinct.Select(c => c.Kind).ToArray());
        return (probe.Inserted, probe.Updated);
    }

    /// <summary>Population of départements and régions as the sum of their communes.</summary>
    public Task RefreshTotalsAsync(CancellationToken ct) => ExecuteAsync("""
        UPDATE departements d SET population = t.population
          FROM (SELECT departement_code, sum(population) AS population FROM communes GROUP BY departement_code) t
         WHERE d.code = t.departement_code AND d.population IS DISTINCT FROM t.population;
        UPDATE regions r SET population = t.population
          FROM (SELECT region_code, sum(population) AS population FROM communes GROUP BY region_code) t
         WHERE r.code = t.region_code AND r.population IS DISTINCT FROM t.population
        """, ct);

    /// <summary>
    /// The features of a GeoJSON FeatureCollection, each with a code and a (multi)polygon whose coordinates are finite
    /// longitudes and latitudes; anything else refuses the file, naming the feature. (Self-intersections are repaired
    /// after loading, as simplified source polygons need; rings that are not closed cannot be.)
    /// </summary>
    private static List<IFeature> ReadFeatures(string path, string codeAttribute, string? otherCodeAttribute = null)
    {
        var name = Path.GetFileName(path);
        FeatureCollection? collection;
        try
        {
            using var stream = File.OpenRead(path);
            collection = JsonSerializer.Deserialize<FeatureCollection>(stream, GeoJson);
        }
        catch (JsonException e)
        {
            throw new ImportException($"{name} is not valid GeoJSON (line {(e.LineNumber ?? 0) + 1}); nothing was imported.", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            // The geometry reader refuses rings that are not closed, too few points, unknown types.
            throw new ImportException(
                $"{name} holds a geometry that is not valid GeoJSON ({Readable(e.Message)}); nothing was imported.", e);
        }
        if (collection is null) throw new ImportException($"{name} holds no GeoJSON FeatureCollection.");
        var number = 0;
        foreach (var feature in collection)
        {
            number++;
            var code = Attr(feature, codeAttribute) ?? (otherCodeAttribute is null ? null : Attr(feature, otherCodeAttribute));
            if (string.IsNullOrWhiteSpace(code))
                throw new ImportException($"{name}: feature {number} has no '{codeAttribute}'; nothing was imported.");
            if (feature.Geometry is not (Polygon or MultiPolygon) || feature.Geometry.IsEmpty)
                throw new ImportException($"{name}: feature {number} is not a polygon or multipolygon; nothing was imported.");
            if (feature.Geometry.Coordinates.Any(c => !(c.X is >= -180 and <= 180) || !(c.Y is >= -90 and <= 90)))
                throw new ImportException(
                    $"{name}: feature {number} has coordinates that are not [longitude, latitude] in degrees; nothing was imported.");
        }
        return [.. collection];
    }

    /// <summary>The first sentence of a geometry library's message (they name no type of ours, but may run long).</summary>
    private static string Readable(string message) => message.Split('\n', 2)[0].Split(" (Parameter", 2)[0].Trim().TrimEnd('.');

    private static string? Attr(IFeature feature, string name) =>
        feature.Attributes is { } a && a.Exists(name) ? Convert.ToString(a[name], CultureInfo.InvariantCulture) : null;

    private static MultiPolygon ToMultiPolygon(Geometry geometry)
    {
        geometry.SRID = 4326;
        return geometry switch
        {
            MultiPolygon m => m,
            Polygon p => new MultiPolygon([p], p.Factory) { SRID = 4326 },
            _ => throw new ImportException($"Expected a polygon, got a {geometry.GeometryType}."),
        };
    }

    private async Task CopyGeometriesAsync(IEnumerable<(string Code, string? Name, Geometry Geometry)> rows, CancellationToken ct,
        IReadOnlyList<(string? Departement, string? Region, int? Population)>? extra = null)
    {
        await ExecuteAsync("""
            CREATE TEMP TABLE IF NOT EXISTS tmp_geometries (code text, name text, departement_code text, region_code text,
                population int, geometry geometry(MultiPolygon, 4326)) ON COMMIT DROP;
            TRUNCATE tmp_geometries
            """, ct);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY tmp_geometries (code, name, departement_code, region_code, population, geometry) FROM STDIN (FORMAT BINARY)", ct))
        {
            var i = 0;
            foreach (var (code, name, geometry) in rows)
            {
                var (departement, region, population) = extra?[i] ?? (null, null, null);
                i++;
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(code, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(name, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(departement, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(region, NpgsqlDbType.Text, ct);
                if (population is { } p) await writer.WriteAsync(p, NpgsqlDbType.Integer, ct); else await writer.WriteNullAsync(ct);
                await writer.WriteAsync((Geometry)ToMultiPolygon(geometry), NpgsqlDbType.Geometry, ct);
            }
            await writer.CompleteAsync(ct);
        }
        // Simplified source polygons can self-intersect; repair them once, here, rather than in every spatial query.
        await ExecuteAsync("""
            UPDATE tmp_geometries SET geometry = ST_Multi(ST_CollectionExtract(ST_MakeValid(geometry), 3)) WHERE NOT ST_IsValid(geometry)
            """, ct);
        // A polygon with no area (its points on a line) repairs to nothing: the file is refused, not loaded half-empty.
        var empty = await ScalarAsync<object>("""
            SELECT string_agg(code, ', ' ORDER BY code) FROM (SELECT code FROM tmp_geometries WHERE ST_IsEmpty(geometry) LIMIT 5) e
            """, ct) as string;
        if (empty is not null) throw new ImportException($"the polygon of {empty} has no area once repaired; nothing was imported.");
    }

    private async Task CountUpsertAsync(FileReport report, string sql, CancellationToken ct, params Array[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetBoolean(0)) report.Inserted++; else report.Updated++;
        }
        report.Unchanged = Math.Max(0, report.Read - report.Inserted - report.Updated);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct, params Array[] parameters)
    {
        await using var command = Command(sql, parameters);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private NpgsqlCommand Command(string sql, Array[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return command;
    }
}
