using System.Globalization;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.History;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Data.Dedup;

/// <summary>
/// Clusters the source records of the catalogue into sites (docs/deduplication.md). Candidate pairs come from PostGIS:
/// two records of different datasets, in the same commune, within the rule's distance (never an all-pairs loop). The
/// rule (<see cref="DuplicateRule"/>) decides each pair; accepted pairs are joined (union-find), and sites are reconciled
/// with the clusters: a cluster keeps the smallest id among its current sites (ids are public and stable), a site left
/// without sources is deleted, a cluster that lost its site gets a new one. It is deterministic and re-runs from the
/// sources each time, so raising the threshold and re-importing splits what no longer matches.
/// </summary>
public sealed class Deduplicator(NpgsqlConnection connection, CatalogueDbContext db)
{
    /// <summary>Scores every candidate pair of the catalogue (optionally of one département).</summary>
    public async Task<List<CandidatePair>> CandidatesAsync(DuplicateRuleOptions options, string? departement, CancellationToken ct)
    {
        var sql = """
            WITH src AS (
              SELECT x.id, x.site_id, x.dataset, x.source_id, x.record->>'nom' AS nom, x.record->>'adresse' AS adresse,
                     s.commune_code, s.departement_code,
                     ST_SetSRID(ST_MakePoint((x.record->>'longitude')::float8, (x.record->>'latitude')::float8), 4326)::geography AS g
                FROM site_sources x JOIN sites s ON s.id = x.site_id
               WHERE s.commune_code IS NOT NULL
                 AND x.record->>'latitude' IS NOT NULL AND x.record->>'longitude' IS NOT NULL)
            SELECT a.id, a.site_id, a.dataset, a.source_id, a.nom, a.adresse, a.departement_code,
                   b.id, b.site_id, b.dataset, b.source_id, b.nom, b.adresse, b.departement_code,
                   ST_Distance(a.g, b.g)
              FROM src a JOIN src b ON a.id < b.id AND a.commune_code = b.commune_code AND a.dataset <> b.dataset
               AND ST_DWithin(a.g, b.g, $1)
             WHERE ($2::text IS NULL OR a.departement_code = $2)
             ORDER BY a.id, b.id
            """;
        await using var command = new NpgsqlCommand(sql, connection)
        {
            Parameters = { new() { Value = options.MaxDistanceMeters },
                new() { Value = (object?)departement ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        var pairs = new List<CandidatePair>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            SourceInfo Read(int o) => new(reader.GetInt64(o), reader.GetInt64(o + 1), reader.GetString(o + 2), reader.GetString(o + 3),
                reader.IsDBNull(o + 4) ? "" : reader.GetString(o + 4), reader.IsDBNull(o + 5) ? null : reader.GetString(o + 5),
                reader.IsDBNull(o + 6) ? null : reader.GetString(o + 6));
            var a = Read(0);
            var b = Read(7);
            var distance = reader.GetDouble(14);
            pairs.Add(new CandidatePair(a, b, distance, DuplicateRule.Evaluate(new(a.Nom, a.Adresse), new(b.Nom, b.Adresse), distance,
                options)));
        }
        return pairs;
    }

    /// <summary>Re-clusters every real source record and reconciles the sites.</summary>
    /// <param name="options">The rule's threshold and distance.</param>
    /// <param name="changedSources">Source records written, retired or restored by the current import: their sites' fields are rebuilt if
    /// they are merged.</param>
    /// <param name="history">Where the sites' changes go (captured before, compared by the caller at the end of its run).</param>
    /// <param name="ct">Cancellation (the caller's transaction then rolls back).</param>
    /// <remarks>
    /// Retired records keep their place in the clusters, so a site keeps its id while its records come and go; a site's
    /// fields come from its records still listed (from all of them once every one is retired, so a hidden site keeps its last values).
    /// </remarks>
    public async Task<DedupResult> RunAsync(DuplicateRuleOptions options, IReadOnlySet<long> changedSources, SiteHistoryRecorder history,
        CancellationToken ct)
    {
        var pairs = await CandidatesAsync(options, null, ct);
        // Closest, most similar pairs first, so that when a record matches two records of one dataset it joins the better one.
        var accepted = pairs.Where(p => p.Decision.Same)
            .OrderByDescending(p => p.Decision.NameScore).ThenBy(p => p.DistanceMeters).ThenBy(p => p.A.Id).ThenBy(p => p.B.Id).ToList();

        // Current membership of every source.
        var rows = await db.SiteSources.AsNoTracking()
            .Select(x => new { x.Id, x.SiteId, x.Dataset }).ToListAsync(ct);
        var sources = rows.ToDictionary(x => x.Id, x => x.SiteId);

        // Union-find over source ids: each cluster is one place. Records of one dataset are distinct places (a
        // publisher does not list a place twice), so two clusters sharing a dataset are never joined: transitivity
        // through a third record must not glue two neighbouring places of the same file together.
        var parent = sources.Keys.ToDictionary(id => id, id => id);
        var datasets = rows.ToDictionary(x => x.Id, x => new HashSet<string> { x.Dataset });
        long Find(long x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var p in accepted)
        {
            long ra = Find(p.A.Id), rb = Find(p.B.Id);
            if (ra == rb || datasets[ra].Overlaps(datasets[rb])) continue;
            long root = Math.Min(ra, rb), child = Math.Max(ra, rb);
            parent[child] = root;
            datasets[root].UnionWith(datasets[child]);
        }
        var clusters = sources.Keys.GroupBy(Find).Select(g => g.Order().ToList()).OrderBy(c => c[0]).ToList();

        // Reconcile: each cluster keeps the smallest free id among the sites holding its sources.
        var claimed = new HashSet<long>();
        var moves = new Dictionary<long, long>();              // source id -> target site id
        var toCreate = new List<List<long>>();                 // clusters needing a new site
        var targets = new Dictionary<long, List<long>>();      // site id -> its sources after the run
        foreach (var cluster in clusters)
        {
            var target = cluster.Select(s => sources[s]).Distinct().Order().Cast<long?>().FirstOrDefault(id =>
                !claimed.Contains(id!.Value));
            if (target is null) { toCreate.Add(cluster); continue; }
            claimed.Add(target.Value);
            targets[target.Value] = cluster;
            foreach (var s in cluster.Where(s => sources[s] != target.Value)) moves[s] = target.Value;
        }
        var emptied = sources.Values.Distinct().Where(id => !claimed.Contains(id)).ToList();

        // Clusters whose membership changed, or holding a source just written, get their fields rebuilt.
        var rebuild = targets.Where(t => t.Value.Any(moves.ContainsKey) || (t.Value.Count > 1 && t.Value.Any(changedSources.Contains)))
            .Select(t => t.Key).ToHashSet();
        foreach (var siteId in sources.Where(s => moves.ContainsKey(s.Key)).Select(s => s.Value).Distinct())
            if (claimed.Contains(siteId)) rebuild.Add(siteId); // a site that lost sources

        // Before anything changes: the sites whose membership changes (their fields' changes are the merge's or the split's),
        // then those rebuilt because one of their records changed (the record's cause stays).
        var splitFrom = toCreate.SelectMany(c => c).Select(s => sources[s]).ToHashSet();
        var bySite = sources.ToLookup(s => s.Value, s => s.Key);
        var lost = bySite.Where(g => g.Any(moves.ContainsKey)).Select(g => g.Key).ToHashSet();
        var membership = rebuild.Where(id => targets[id].Any(moves.ContainsKey) || lost.Contains(id)).ToList();
        await history.CaptureAsync(db, membership.Where(splitFrom.Contains).ToList(), ChangeCause.Split, ct);
        await history.CaptureAsync(db, membership.Where(id => !splitFrom.Contains(id)).ToList(), ChangeCause.Merge, ct);
        await history.CaptureAsync(db, rebuild.ToList(), null, ct);

        var created = new List<long>();
        foreach (var cluster in toCreate)
        {
            var site = new Site { CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            SiteRecord.Apply(await CombinedAsync(cluster, ct), site);
            db.Sites.Add(site);
            await db.SaveChangesAsync(ct);
            created.Add(site.Id);
            history.Created(site.Id, ChangeCause.Split, null, "split from site "
                + string.Join(", ", cluster.Select(s => sources[s]).Distinct().Order()));
            foreach (var s in cluster) moves[s] = site.Id;
            targets[site.Id] = cluster;
        }
        foreach (var siteId in emptied)
            history.Event(siteId, ChangeCause.Merge, null, null, null,
                "merged into site " + string.Join(", ", bySite[siteId].Select(s => moves.GetValueOrDefault(s, siteId)).Distinct().Order()));

        foreach (var group in moves.GroupBy(m => m.Value))
            await ExecuteAsync("UPDATE site_sources SET site_id = $1 WHERE id = ANY($2)", ct, group.Key,
                group.Select(m => m.Key).ToArray());
        // Sites whose sources all left: deleted only now that nothing points at them.
        var deleted = emptied.Count;
        if (deleted > 0)
            await ExecuteAsync("DELETE FROM sites WHERE id = ANY($1) "
                + "AND NOT EXISTS (SELECT 1 FROM site_sources x WHERE x.site_id = sites.id)", ct, emptied.ToArray());

        foreach (var siteId in rebuild)
        {
            var site = await db.Sites.IgnoreQueryFilters().SingleAsync(s => s.Id == siteId, ct);
            SiteRecord.Apply(await CombinedAsync(targets[siteId], ct), site);
            site.UpdatedAt = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var touched = rebuild.Concat(created).ToArray();
        if (touched.Length > 0) await Import.CatalogueImporter.ResolveTerritoriesAsync(connection, touched, ct);

        // "merged" counts the sites that disappeared into another one; splits are the new ones.
        return new DedupResult(pairs.Count, accepted.Count, deleted, created.Count, rebuild.Count);
    }

    private async Task<SchemaV1Record> CombinedAsync(IReadOnlyCollection<long> sourceIds, CancellationToken ct)
    {
        var rows = await db.SiteSources.AsNoTracking().Where(x => sourceIds.Contains(x.Id))
            .Select(x => new { x.Id, x.DateMaj, x.Record, Listed = x.RetiredAt == null }).ToListAsync(ct);
        var listed = rows.Where(r => r.Listed).ToList();
        return SiteMerge.Combine((listed.Count > 0 ? listed : rows).Select(r =>
            new MergeSource(r.Id, r.DateMaj, SchemaV1Record.FromDictionary(r.Record))));
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The threshold in force: the one given now (then kept), else the one kept from the last time, else the default.</summary>
    public static async Task<DuplicateRuleOptions> OptionsAsync(CatalogueDbContext db, double? given, CancellationToken ct)
    {
        var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == CatalogueSetting.DedupNameThreshold, ct);
        if (given is { } threshold)
        {
            if (setting is null) db.Settings.Add(new CatalogueSetting { Key = CatalogueSetting.DedupNameThreshold,
                Value = threshold.ToString("R", CultureInfo.InvariantCulture) });
            else setting.Value = threshold.ToString("R", CultureInfo.InvariantCulture);
            await db.SaveChangesAsync(ct);
            return new DuplicateRuleOptions(threshold);
        }
        return setting is not null && double.TryParse(setting.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var kept)
            ? new DuplicateRuleOptions(kept)
            : new DuplicateRuleOptions();
    }
}
