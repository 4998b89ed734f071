using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Dedup;
using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Data.Tests;

/// <summary>Deduplication on the real catalogue (the seeded template ran it at the end of the seed).</summary>
public sealed class DeduplicationTests : IAsyncLifetime
{
    private readonly SeededCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private Task<long> SiteOfAsync(string dataset, string sourceId) =>
        _catalogue.ScalarAsync<long>("SELECT site_id FROM site_sources WHERE dataset = $1 AND source_id = $2", dataset, sourceId);

    [Fact]
    public async Task Nothing_is_lost_every_source_record_stays_and_sites_are_the_clusters()
    {
        Assert.Equal(5370L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        Assert.Equal(5095L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM sites s WHERE NOT EXISTS (SELECT 1 FROM site_sources x WHERE x.site_id = s.id)"));
        Assert.Equal(275, await _catalogue.ScalarAsync<int>("SELECT merged FROM import_runs ORDER BY id DESC LIMIT 1"));
        // No site mixes two records of the same dataset: within a dataset, records are distinct places.
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT site_id, dataset FROM site_sources GROUP BY 1, 2 HAVING count(*) > 1) t"));
    }

    [Theory]
    // Same France Services.
    [InlineData("charente-16_lieux-mediation-numerique_v0.1", "mediation-numerique-france-services-2158-mediation-numerique",
        "france-services_liste-fs", "2158")]
    // La Poste Marthon.
    [InlineData("charente-16_lieux-mediation-numerique_v0.1", "mediation-numerique-aidants-connect-800-mediation-numerique",
        "france-services_liste-fs", "1127")]
    // MJC Mosaïque.
    [InlineData("cnfs_structures-conseillers-numeriques", "922", "charente-16_lieux-mediation-numerique_v0.1",
        "mediation-numerique-conseiller-numerique-63c5181eb76ddc06f2a6733e-mediation-numerique")]
    // France services Rouillacais.
    [InlineData("cnfs_structures-conseillers-numeriques", "925", "charente-16_lieux-mediation-numerique_v0.1",
        "mediation-numerique-france-services-2009-mediation-numerique")]
    public async Task Real_duplicates_from_different_sources_are_one_site(string datasetA, string idA, string datasetB, string idB)
    {
        Assert.Equal(1L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM site_sources WHERE dataset = $1 AND source_id = $2", datasetB, idB));
        Assert.Equal(await SiteOfAsync(datasetA, idA), await SiteOfAsync(datasetB, idB));
    }

    [Fact]
    public async Task A_merged_france_services_takes_its_fields_by_the_stated_rule_and_keeps_both_provenances()
    {
        var siteId = await SiteOfAsync("france-services_liste-fs", "1126"); // Dignac
        Assert.Equal(siteId, await SiteOfAsync("charente-16_lieux-mediation-numerique_v0.1",
            "mediation-numerique-france-services-1126-mediation-numerique"));
        await using var db = _catalogue.CreateContext();
        var site = await db.Sites.Include(s => s.Sources).SingleAsync(s => s.Id == siteId);
        Assert.Equal(2, site.Sources.Count);
        // Most recent date_maj wins single-valued fields: the national list (2024-08-01) over the Charente file (2023).
        Assert.Equal("France services La Poste de Dignac", site.Nom);
        Assert.Equal(new DateOnly(2024, 8, 1), site.DateMaj);
        // Attestations are unions: every service either source attests.
        var expected = site.Sources.SelectMany(s => SchemaV1Record.FromDictionary(s.Record).GetMany("services"))
            .Distinct().Order().ToList();
        Assert.Equal(expected, site.Services.Order().ToList());
        Assert.True(site.Services.Count > 1);
    }

    [Theory]
    [InlineData("EMMAUS RUFFEC", "Bus France services du Ruffecois")]
    [InlineData("France services Saint-André-les-Alpes", "France services Saint-André-les-Alpes - Antenne de Beauvezer")]
    [InlineData("Association Tremplin", "France services de Pierre-de-Bresse")]
    [InlineData("COMMUNE DE GROIX", "France services Groix")]
    public async Task Real_near_misses_stay_separate_sites(string nomA, string nomB)
    {
        const string SiteOfName = "SELECT site_id FROM site_sources WHERE upper(record->>'nom') = upper($1) LIMIT 1";
        var a = await _catalogue.ScalarAsync<long>(SiteOfName, nomA);
        var b = await _catalogue.ScalarAsync<long>(SiteOfName, nomB);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Re_importing_after_the_merge_changes_nothing()
    {
        var before = await SnapshotAsync();
        var report = await new CatalogueImporter(_catalogue.DataSource).ImportAsync(
            CatalogueSeeder.PlacesFiles(TestCluster.DataDirectory).Select(f => new ImportFile(f)).ToList());
        Assert.Equal((0, 0, 0), (report.Inserted, report.Updated, report.Merged));
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = _catalogue.CreateContext();
        var rows = await db.SiteSources.OrderBy(x => x.Id).Select(x => x.Id + ":" + x.SiteId).ToListAsync();
        var sites = await db.Sites.OrderBy(s => s.Id).Select(s => s.Id + ":" + s.Nom + ":" + s.UpdatedAt).ToListAsync();
        return string.Join(',', rows) + "|" + string.Join(',', sites);
    }

    [Fact]
    public async Task Raising_the_threshold_splits_merges_and_lowering_it_again_restores_them_with_the_same_ids()
    {
        var before = await MembershipAsync();
        var sitesBefore = await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites");

        var strict = await RunAsync(1.01);
        Assert.True(strict.Split > 0, "a stricter rule splits some merged sites");
        Assert.Equal(0, strict.Merged);
        Assert.Equal(sitesBefore + strict.Split, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
        Assert.Equal(5370L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        Assert.Equal("1.01",
            await _catalogue.ScalarAsync<string>("SELECT value FROM catalogue_settings WHERE key = 'dedup.name_threshold'"));

        var again = await RunAsync(0.8);
        Assert.Equal(strict.Split, again.Merged);
        Assert.Equal(before, await MembershipAsync());
    }

    private async Task<DedupResult> RunAsync(double threshold)
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var db = new CatalogueDbContext(new DbContextOptionsBuilder<CatalogueDbContext>()
            .UseNpgsql(connection, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);
        await db.Database.UseTransactionAsync(transaction);
        var options = await Deduplicator.OptionsAsync(db, threshold, default);
        var result = await new Deduplicator(connection, db)
            .RunAsync(options, new HashSet<long>(), new Data.History.SiteHistoryRecorder("test", "merge"), default);
        await transaction.CommitAsync();
        return result;
    }

    private async Task<Dictionary<long, long>> MembershipAsync()
    {
        await using var db = _catalogue.CreateContext();
        return await db.SiteSources.ToDictionaryAsync(x => x.Id, x => x.SiteId);
    }

    [Fact]
    public async Task The_explanation_lists_every_candidate_pair_with_its_decision_and_scores()
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using var db = _catalogue.CreateContext();
        var pairs = await new Deduplicator(connection, db).CandidatesAsync(new DuplicateRuleOptions(), "16", default);
        // Independent count of the candidates: different datasets, same commune, within 300 m, in Charente.
        var expected = await _catalogue.ScalarAsync<long>("""
            WITH src AS (SELECT x.id, x.dataset, s.commune_code, s.departement_code,
                    ST_SetSRID(ST_MakePoint((x.record->>'longitude')::float8, (x.record->>'latitude')::float8), 4326)::geography AS g
                    FROM site_sources x JOIN sites s ON s.id = x.site_id WHERE x.record ? 'latitude' AND s.commune_code IS NOT NULL)
            SELECT count(*) FROM src a, src b WHERE a.id < b.id AND a.dataset <> b.dataset AND a.commune_code = b.commune_code
               AND ST_Distance(a.g, b.g) <= 300 AND a.departement_code = '16'
            """);
        Assert.Equal(expected, pairs.Count);
        Assert.Contains(pairs, p => p.Decision.Same);
        Assert.Contains(pairs, p => !p.Decision.Same);
        // Every accepted pair is in one site, unless joining would put two records of one dataset in a site.
        var datasetsOfSite = (await db.SiteSources.AsNoTracking().Select(x => new { x.SiteId, x.Dataset }).ToListAsync())
            .GroupBy(x => x.SiteId).ToDictionary(g => g.Key, g => g.Select(x => x.Dataset).ToHashSet());
        var accepted = pairs.Where(p => p.Decision.Same).ToList();
        Assert.All(accepted, p => Assert.True(p.A.SiteId == p.B.SiteId || datasetsOfSite[p.A.SiteId].Overlaps(datasetsOfSite[p.B.SiteId]),
            $"{p.A.Nom} / {p.B.Nom}: accepted but in two sites without a dataset conflict"));
        Assert.True(accepted.Count(p => p.A.SiteId == p.B.SiteId) > accepted.Count / 2, "most accepted pairs are merged");
    }
}
