using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace InclusionMap.Data.Import;

/// <summary>
/// Imports places and territories into the catalogue. A run is one transaction: if anything fails (database gone,
/// cancellation, strict rejection) the catalogue is left exactly as it was. Places are upserted on
/// (dataset, source id); an unchanged record (same normalised content hash) is left untouched. Runs never overlap with
/// each other or with a dedup: the transaction and the re-sort after it each hold <see cref="CatalogueWriteLock"/>.
/// </summary>
public sealed class CatalogueImporter(NpgsqlDataSource dataSource, ILogger? log = null)
{
    public static readonly ActivitySource Activity = new("InclusionMap.Import");
    private readonly ILogger _log = log ?? NullLogger.Instance;

    /// <summary>Fields whose failure rejects the row (the schema's required fields, and coordinates, which place it on the map).</summary>
    private static readonly HashSet<string> RejectingFields = ["id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj",
        "latitude", "longitude"];

    public async Task<ImportReport> ImportAsync(IReadOnlyList<ImportFile> files, ImportOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ImportOptions();
        using var activity = Activity.StartActivity("import");
        // Every file is checked before anything is opened on the database, a forced format too (a pipe, binary data).
        foreach (var file in files) ImportFormats.ReadHead(file.Path);
        var ordered = files.Select(f => (File: f, Format: f.Format ?? ImportFormats.Detect(f.Path)))
            .OrderBy(f => f.Format.LoadOrder()).ToList();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CatalogueWriteLock.AcquireAsync(transaction, "import", options.WaitForWriteLock, _log, cancellationToken);
        var report = new ImportReport { StartedAt = DateTimeOffset.UtcNow, DryRun = options.DryRun, Strict = options.Strict };
        await using var db = new CatalogueDbContext(new DbContextOptionsBuilder<CatalogueDbContext>()
            .UseNpgsql(connection, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var territories = new TerritoryLoader(connection);
        var history = new SiteHistoryRecorder(options.Actor, options.Cause);
        if (ordered.Any(f => f.Format.IsPlaces()) && !ordered.Any(f => f.Format == ImportFormat.CommunesGeoJson))
            await RequireCommunesAsync(connection, options.DataDirectory, cancellationToken);

        foreach (var (file, format) in ordered)
        {
            var fileReport = new FileReport
            {
                File = file.Path,
                Format = format.Name(),
                Dataset = format.IsPlaces() ? file.Dataset ?? ImportFormats.DatasetName(file.Path) : null,
            };
            report.Files.Add(fileReport);
            var watch = Stopwatch.StartNew();
            if (format.IsPlaces())
                await ImportPlacesAsync(db, connection, file, format, fileReport, history, options.AcceptRetirements, cancellationToken);
            else await territories.LoadAsync(file.Path, format, fileReport, cancellationToken);
            fileReport.ElapsedMilliseconds = watch.ElapsedMilliseconds;
            _log.LogInformation("{Summary} in {Elapsed} ms", fileReport.Summary, watch.ElapsedMilliseconds);
            if (options.AfterFile is not null) await options.AfterFile(fileReport, cancellationToken);
        }
        if (ordered.Any(f => !f.Format.IsPlaces()))
        {
            await territories.RefreshTotalsAsync(cancellationToken);
            // Population or census indicators may have changed: the model is recalibrated on the whole country.
            await Analysis.IllectronismEstimator.RefreshAsync(connection, cancellationToken);
        }
        if (options.Deduplicate && ordered.Any(f => f.Format.IsPlaces()))
        {
            var dedupOptions = await Dedup.Deduplicator.OptionsAsync(db, options.DedupThreshold, cancellationToken);
            var dedup = await new Dedup.Deduplicator(connection, db).RunAsync(dedupOptions,
                report.Files.SelectMany(f => f.ChangedSources).ToHashSet(), history, cancellationToken);
            report.Merged = dedup.Merged;
            report.Split = dedup.Split;
            report.DedupThreshold = dedupOptions.NameThreshold;
            _log.LogInformation("Deduplication (threshold {Threshold}): {Candidates} candidate pairs, {Accepted} same place, "
                + "{Merged} sites merged, {Split} split",
                dedupOptions.NameThreshold, dedup.Candidates, dedup.Accepted, dedup.Merged, dedup.Split);
        }

        if (ordered.Any(f => f.Format.IsPlaces()))
        {
            // Edited fields win over the records just read, unless a record is newer than the edit (docs/moderation.md).
            await Moderation.SiteEdits.ApplyAsync(db, history, null, cancellationToken);
            await SiteStates.RefreshAsync(connection, history, cancellationToken);
        }
        report.FinishedAt = DateTimeOffset.UtcNow;
        if (options.Strict && report.Rejected > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            throw new StrictImportException(report);
        }
        if (options.DryRun)
        {
            await transaction.RollbackAsync(cancellationToken);
            return report;
        }
        var run = Record(report, options, applied: true);
        db.ImportRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        report.RunId = run.Id;
        report.HistoryRows = await history.WriteAsync(connection, db, run.Id, report.FinishedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        report.Committed = true;
        if (ordered.Any(f => f.Format.IsPlaces()) && report.Inserted + report.Updated + report.Merged + report.Split > 0)
            await ClusterSitesAsync(connection, options.ClusterSitesMaxSites, cancellationToken);
        return report;
    }

    /// <summary>The record of a run (its report serialised with it).</summary>
    public static ImportRun Record(ImportReport report, ImportOptions options, bool applied) => new()
    {
        StartedAt = report.StartedAt, FinishedAt = report.FinishedAt,
            Kind = string.Join(",", report.Files.Select(f => f.Format).Distinct()),
        Read = report.Read, Inserted = report.Inserted, Updated = report.Updated, Merged = report.Merged, Rejected = report.Rejected,
        Retired = report.Retired, Restored = report.Restored, Actor = options.Actor, Source = options.Source, Applied = applied,
        Report = JsonSerializer.Serialize(report, ReportJson),
    };

    /// <summary>
    /// Places need communes: without them no site is placed in a commune, and deduplication, which compares records of
    /// one commune, finds nothing. Such an import stops and says which files load them.
    /// </summary>
    private static async Task RequireCommunesAsync(NpgsqlConnection connection, string? dataDirectory, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM communes)", connection);
        if ((bool)(await command.ExecuteScalarAsync(ct))!) return;
        string files;
        try
        {
            files = dataDirectory is null ? "" : string.Join(" ", CatalogueSeeder.SeedFiles(dataDirectory)
                .Where(f => !ImportFormats.Detect(f.Path).IsPlaces()).Select(f => f.Path));
        }
        catch (Exception e) when (e is FileNotFoundException or ImportException or IOException)
        {
            files = "";
        }
        throw new ImportException("the catalogue has no communes: places would be placed in no commune and never deduplicated. "
            + "Load the territories first: start the server once (its first start loads them from the open-data directory), or "
            + (files.Length > 0 ? $"run: inclusionmap import {files}"
                : "import the territory files listed in data/sources.md (régions, départements, "
                + "commune polygons, population, census indicators, commune codes)") + ".");
    }

    /// <summary>
    /// After a commit that changed places, sites are stored again in spatial order (<see cref="CatalogueDatabase.ClusterSitesSql"/>),
    /// then analysed. This is upkeep, not data: when it gives up or fails the import stands, and the next import tries again.
    /// It never holds readers up for long: only up to <paramref name="maxSites"/> sites, under the lock and statement
    /// timeouts of <see cref="CatalogueDatabase.ClusterSitesSql"/>; and it leaves the catalogue to a run that began meanwhile.
    /// </summary>
    private async Task ClusterSitesAsync(NpgsqlConnection connection, int maxSites, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (!await CatalogueWriteLock.TryAcquireAsync(transaction, "import", cancellationToken))
            {
                _log.LogInformation("Sites not stored again in spatial order: another import or dedup has begun; it re-sorts after itself");
                return;
            }
            long sites;
            await using (var count = new NpgsqlCommand("SELECT count(*) FROM sites", connection, transaction))
                sites = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (sites > maxSites)
            {
                _log.LogWarning("Sites not stored again in spatial order: {Sites} sites is over {Max}, and readers would wait for the "
                    + "rewrite; run it at a quiet time (docs/scaling.md)", sites, maxSites);
                return;
            }
            await using (var command = new NpgsqlCommand($"""
                SET LOCAL lock_timeout = '{CatalogueDatabase.ClusterSitesLockTimeout}';
                SET LOCAL statement_timeout = '{CatalogueDatabase.ClusterSitesStatementTimeout}';
                {CatalogueDatabase.ClusterSitesSql}
                """, connection, transaction))
                await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _log.LogInformation("Sites stored in spatial order in {Elapsed} ms", watch.ElapsedMilliseconds);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled)
        {
            _log.LogWarning("Sites not stored again in spatial order: {Reason} (the import is committed; the next one tries again)",
                e.SqlState == PostgresErrorCodes.LockNotAvailable
                    ? $"readers held the table for over {CatalogueDatabase.ClusterSitesLockTimeout}"
                    : $"the rewrite would have held readers up for over {CatalogueDatabase.ClusterSitesStatementTimeout}");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            _log.LogWarning(e, "Sites could not be stored in spatial order (the import is committed)");
        }
        finally
        {
            await AnalyzeSitesAsync(connection, cancellationToken);
        }
    }

    /// <summary>Fresh statistics after bulk changes; it takes no lock readers wait for.</summary>
    private async Task AnalyzeSitesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var analyze = new NpgsqlCommand("ANALYZE sites", connection);
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            _log.LogWarning(e, "Sites could not be analysed (the import is committed)");
        }
    }

    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private async Task ImportPlacesAsync(CatalogueDbContext db, NpgsqlConnection connection, ImportFile file, ImportFormat format,
        FileReport report,
        SiteHistoryRecorder history, bool acceptRetirements, CancellationToken cancellationToken)
    {
        var path = file.Path;
        var dataset = report.Dataset!;
        var rows = format is ImportFormat.SchemaV1Csv or ImportFormat.SchemaV01Csv or ImportFormat.FranceServicesCsv
            ? SourceRows.ReadCsv(path)
            : SourceRows.ReadJson(path);

        var existing = await db.SiteSources.Where(s => s.Dataset == dataset)
            .Select(s => new { s.Id, s.SourceId, s.RecordHash, s.SiteId, s.RetiredAt })
            .ToDictionaryAsync(s => s.SourceId, StringComparer.Ordinal, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var touched = new List<Site>();
        var written = new List<SiteSource>();
        var confirmed = new List<long>();
        var restored = new List<long>();
        var inserted = new List<Site>();
        var now = DateTimeOffset.UtcNow;

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            report.Read++;
            var mapped = PlaceMapper.Map(format, row);
            var record = mapped.Record;
            var issues = mapped.Warnings.Select(w => new ImportIssue(row.RowNumber, mapped.SourceId, w.Field, w.Value, w.Reason,
                ImportIssue.Warning)).ToList();
            var rejections = new List<ImportIssue>();
            if (mapped.SourceId is null) rejections.Add(new(row.RowNumber, null, "id", null, "the row has no identifier",
                ImportIssue.Rejected));
            else if (!seen.Add(mapped.SourceId)) rejections.Add(new(row.RowNumber, mapped.SourceId, "id", mapped.SourceId,
                "duplicate identifier in this file", ImportIssue.Rejected));
            foreach (var issue in SchemaV1Validator.Validate(record))
            {
                if (RejectingFields.Contains(issue.Field)) rejections.Add(new(row.RowNumber, mapped.SourceId, issue.Field, issue.Value,
                    issue.Reason, ImportIssue.Rejected));
                else
                {
                    record[issue.Field] = null;
                    issues.Add(new(row.RowNumber, mapped.SourceId, issue.Field, issue.Value, issue.Reason + "; dropped",
                        ImportIssue.Warning));
                }
            }
            report.Issues.AddRange(rejections);
            report.Issues.AddRange(issues);
            if (rejections.Count > 0)
            {
                report.Rejected++;
                continue;
            }

            var values = record.ToDictionary();
            var hash = Hash(values);
            if (existing.TryGetValue(mapped.SourceId!, out var known))
            {
                if (known.RetiredAt is not null)
                {
                    restored.Add(known.Id);
                    report.Restored++;
                    history.Note(known.SiteId, dataset);
                }
                if (known.RecordHash == hash)
                {
                    report.Unchanged++;
                    confirmed.Add(known.Id);
                    continue;
                }
                var source = await db.SiteSources.IgnoreQueryFilters().Include(s => s.Site).SingleAsync(s => s.Id == known.Id,
                    cancellationToken);
                history.Capture(source.Site!, dataset);
                Fill(source, row, path, format, record, values, hash, now);
                SiteRecord.Apply(record, source.Site!);
                source.Site!.UpdatedAt = now;
                touched.Add(source.Site);
                written.Add(source);
                report.Updated++;
            }
            else
            {
                var site = new Site { CreatedAt = now, UpdatedAt = now };
                SiteRecord.Apply(record, site);
                var source = new SiteSource { Dataset = dataset, SourceId = mapped.SourceId! };
                Fill(source, row, path, format, record, values, hash, now);
                site.Sources.Add(source);
                db.Sites.Add(site);
                touched.Add(site);
                inserted.Add(site);
                written.Add(source);
                report.Inserted++;
            }
        }
        var retiring = file.Complete
            ? existing.Values.Where(x => x.RetiredAt is null && !seen.Contains(x.SourceId)).ToList()
            : [];
        var active = existing.Values.Count(x => x.RetiredAt is null);
        report.Retired = retiring.Count;
        if (file.MaxRetiredShare is { } share && !acceptRetirements && active > 0 && retiring.Count > share * active)
            throw new RetirementRefusedException(report, retiring.Count, active, share);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var site in inserted) history.Created(site.Id, history.Cause, dataset, site.Nom);
        report.ChangedSources.AddRange(written.Select(s => s.Id));
        db.ChangeTracker.Clear();
        foreach (var x in retiring) history.Note(x.SiteId, dataset);
        report.ChangedSources.AddRange(retiring.Select(x => x.Id).Concat(restored));
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE site_sources SET last_seen_at = $1 WHERE id = ANY($2)")
                { Parameters = { new() { Value = now }, new() { Value = confirmed.ToArray() } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE site_sources SET retired_at = NULL WHERE id = ANY($1)")
                { Parameters = { new() { Value = restored.ToArray() } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE site_sources SET retired_at = $1 WHERE id = ANY($2)")
                { Parameters = { new() { Value = now }, new() { Value = retiring.Select(x => x.Id).ToArray() } } });
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        var conflicts = await ResolveTerritoriesAsync(connection, touched.Select(s => s.Id).ToArray(), cancellationToken);
        foreach (var (sourceId, row, code, distanceKm) in conflicts)
            report.Issues.Add(new(row, sourceId, "code_insee", code,
                $"the commune of this code is {distanceKm:0} km from the coordinates: the commune is taken from the coordinates instead",
                    ImportIssue.Warning));
    }

    private static void Fill(SiteSource source, SourceRow row, string path, ImportFormat format, SchemaV1Record record,
        Dictionary<string, string?> values, string hash, DateTimeOffset now)
    {
        source.SourceFile = Path.GetFileName(path);
        source.Format = format.Name();
        source.RowNumber = row.RowNumber;
        source.DateMaj = DateOnly.ParseExact(record["date_maj"]!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        source.ImportedAt = now;
        source.LastSeenAt = now;
        source.RetiredAt = null;
        source.RecordHash = hash;
        source.Record = values;
        source.Raw = row.RawJson;
    }

    private static string Hash(Dictionary<string, string?> values) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(values, CatalogueDbContext.JsonOptions))));

    /// <summary>
    /// Attaches sites to a current commune: the given code (a commune, or an arrondissement / former / delegated code that
    /// designates one), else the commune polygon containing the point. The département follows from the commune, or from
    /// the code or postcode for places outside the polygons (overseas collectivities).
    /// </summary>
    /// <remarks>
    /// A code whose commune lies more than <see cref="CodeConflictKm"/> km from the row's own coordinates is a data error
    /// (one real row puts Nouméa in the Puy-de-Dôme): the point wins, and the conflict is returned for the report.
    /// </remarks>
    public static async Task<List<(string SourceId, int Row, string Code, double DistanceKm)>> ResolveTerritoriesAsync(
        NpgsqlConnection connection, long[] siteIds, CancellationToken cancellationToken)
    {
        var conflicts = new List<(string, int, string, double)>();
        if (siteIds.Length == 0) return conflicts;
        const string byCode = """
            UPDATE sites s SET commune_code = c.code
              FROM communes c WHERE s.id = ANY($1) AND c.code = s.code_insee;
            UPDATE sites s SET commune_code = cc.commune_code
              FROM commune_codes cc JOIN communes c ON c.code = cc.commune_code
             WHERE s.id = ANY($1) AND s.commune_code IS NULL AND cc.code = s.code_insee
            """;
        await ExecuteAsync(connection, byCode, siteIds, cancellationToken);

        await using (var check = new NpgsqlCommand($"""
            WITH far AS (
              SELECT s.id, s.code_insee, ST_Distance(c.geometry::geography, s.location) / 1000 AS km
                FROM sites s JOIN communes c ON c.code = s.commune_code
               WHERE s.id = ANY($1) AND s.location IS NOT NULL
                 AND NOT ST_DWithin(c.geometry::geography, s.location, {CodeConflictKm * 1000}))
            UPDATE sites s SET commune_code = NULL FROM far WHERE s.id = far.id
            RETURNING (SELECT x.source_id FROM site_sources x WHERE x.site_id = s.id ORDER BY x.id LIMIT 1),
                      (SELECT x.row_number FROM site_sources x WHERE x.site_id = s.id ORDER BY x.id LIMIT 1), far.code_insee, far.km
            """, connection) { Parameters = { new() { Value = siteIds } } })
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                conflicts.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetDouble(3)));

        const string byPointAndDepartement = """
            UPDATE sites s SET commune_code = c.code
              FROM communes c
             WHERE s.id = ANY($1) AND s.commune_code IS NULL AND s.location IS NOT NULL
               AND ST_Intersects(c.geometry, s.location::geometry);
            UPDATE sites s SET departement_code = COALESCE(
                   (SELECT c.departement_code FROM communes c WHERE c.code = s.commune_code),
                   CASE WHEN s.code_postal ~ '^9[78]' THEN left(s.code_postal, 3)
                        WHEN s.code_insee ~ '^(2A|2B)' THEN left(s.code_insee, 2)
                        WHEN s.code_postal ~ '^[0-9]{5}$' AND left(s.code_postal, 2) <> '20' THEN left(s.code_postal, 2) END)
             WHERE s.id = ANY($1)
            """;
        await ExecuteAsync(connection, byPointAndDepartement, siteIds, cancellationToken);
        return conflicts;
    }

    /// <summary>
    /// How far (km) a row's commune code may designate a commune from the row's coordinates before the code is treated as an error.
    /// </summary>
    public const double CodeConflictKm = 20;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, long[] siteIds, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement) { Parameters = { new() { Value = siteIds } } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
