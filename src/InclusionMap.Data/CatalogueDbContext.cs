using System.Text.Json;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Core.Territories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace InclusionMap.Data;

/// <summary>
/// The catalogue in PostGIS. Table and column names are snake_case so the database reads well from SQL, tiles and
/// third-party tools. Vocabulary lists are stored as <c>text[]</c> of the official French labels.
/// </summary>
public class CatalogueDbContext(DbContextOptions<CatalogueDbContext> options) : DbContext(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteSource> SiteSources => Set<SiteSource>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<CommuneCode> CommuneCodes => Set<CommuneCode>();
    public DbSet<Departement> Departements => Set<Departement>();
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<CatalogueSetting> Settings => Set<CatalogueSetting>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasPostgresExtension("postgis");
        model.HasPostgresExtension("unaccent");
        model.HasPostgresExtension("pg_trgm");

        model.Entity<Site>(site =>
        {
            site.ToTable("sites");
            site.Property(s => s.Location).HasColumnType("geography(Point,4326)");
            // geography has no ST_X/ST_Y: the database derives plain columns once, for reads and exports.
            site.Property(s => s.Latitude).HasComputedColumnSql("ST_Y(location::geometry)", stored: true);
            site.Property(s => s.Longitude).HasComputedColumnSql("ST_X(location::geometry)", stored: true);
            site.HasIndex(s => s.Location).HasMethod("gist");
            site.Property(s => s.LocationGeometry).HasColumnType("geometry(Point,4326)").HasComputedColumnSql("location::geometry", stored: true);
            site.HasIndex(s => s.LocationGeometry).HasMethod("gist");
            site.Property(s => s.SearchText).HasComputedColumnSql("lower(im_unaccent(nom || ' ' || commune_name || ' ' || adresse))", stored: true);
            site.HasIndex(s => s.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
            site.HasIndex(s => s.CommuneCode);
            site.HasIndex(s => s.DepartementCode);
            site.HasOne(s => s.Commune).WithMany(c => c.Sites).HasForeignKey(s => s.CommuneCode).OnDelete(DeleteBehavior.SetNull);
            site.HasMany(s => s.Sources).WithOne(s => s.Site).HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);

            VocabularyList(site, s => s.Services);
            VocabularyList(site, s => s.PublicsSpecifiquementAdresses);
            VocabularyList(site, s => s.PriseEnChargeSpecifique);
            VocabularyList(site, s => s.FraisACharge);
            VocabularyList(site, s => s.DispositifProgrammesNationaux);
            VocabularyList(site, s => s.FormationsLabels);
            VocabularyList(site, s => s.ModalitesAcces);
            VocabularyList(site, s => s.ModalitesAccompagnement);
            VocabularyList(site, s => s.Itinerance);
        });

        model.Entity<SiteSource>(source =>
        {
            source.ToTable("site_sources");
            source.HasIndex(s => new { s.Dataset, s.SourceId }).IsUnique();
            source.HasIndex(s => s.SiteId);
            source.Property(s => s.Record).HasColumnType("jsonb").HasConversion(
                new ValueConverter<Dictionary<string, string?>, string>(
                    v => JsonSerializer.Serialize(v, JsonOptions),
                    v => JsonSerializer.Deserialize<Dictionary<string, string?>>(v, JsonOptions) ?? new()),
                new ValueComparer<Dictionary<string, string?>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, string?>(v)));
            source.Property(s => s.Raw).HasColumnType("jsonb");
        });

        model.Entity<Commune>(commune =>
        {
            commune.ToTable("communes");
            commune.HasKey(c => c.Code);
            commune.Property(c => c.Geometry).HasColumnType("geometry(MultiPolygon,4326)");
            commune.Property(c => c.Centre).HasColumnType("geometry(Point,4326)");
            commune.HasIndex(c => c.Geometry).HasMethod("gist");
            commune.HasIndex(c => c.DepartementCode);
            commune.Property(c => c.SearchText).HasComputedColumnSql("lower(im_unaccent(nom))", stored: true);
            commune.HasIndex(c => c.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
            commune.Property(c => c.Share65Plus).HasColumnName("share_65_plus");
            commune.Property(c => c.Share25OrUnder).HasColumnName("share_25_or_under");
            commune.Property(c => c.Population15Plus).HasColumnName("population_15_plus");
            commune.Property(c => c.IfnNo4gCoverage).HasColumnName("ifn_no_4g_coverage");
            commune.Property(c => c.IfnOlder65).HasColumnName("ifn_older_65");
            commune.HasOne(c => c.Departement).WithMany(d => d.Communes).HasForeignKey(c => c.DepartementCode);
        });

        model.Entity<CommuneCode>(code =>
        {
            code.ToTable("commune_codes");
            code.HasKey(c => c.Code);
            code.Property(c => c.CommuneCodeCurrent).HasColumnName("commune_code");
        });

        model.Entity<Departement>(d =>
        {
            d.ToTable("departements");
            d.HasKey(x => x.Code);
            d.Property(x => x.Geometry).HasColumnType("geometry(MultiPolygon,4326)");
            d.HasIndex(x => x.Geometry).HasMethod("gist");
        });

        model.Entity<Region>(r =>
        {
            r.ToTable("regions");
            r.HasKey(x => x.Code);
        });

        model.Entity<CatalogueSetting>(setting =>
        {
            setting.ToTable("catalogue_settings");
            setting.HasKey(s => s.Key);
        });

        model.Entity<ImportRun>(run =>
        {
            run.ToTable("import_runs");
            run.Property(r => r.Report).HasColumnType("jsonb");
        });
    }

    internal static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Maps a list of vocabulary values to <c>text[]</c> holding the official labels.</summary>
    private static void VocabularyList<T>(EntityTypeBuilder<Site> site, System.Linq.Expressions.Expression<Func<Site, List<T>>> property)
        where T : struct, Enum =>
        site.PrimitiveCollection(property).ElementType(e => e.HasConversion(
            new ValueConverter<T, string>(v => Vocabulary<T>.Label(v), v => ParseLabel<T>(v))));

    private static T ParseLabel<T>(string label) where T : struct, Enum =>
        Vocabulary<T>.TryParse(label, out var value)
            ? value
            : throw new InvalidOperationException($"'{label}' in the database is not a {typeof(T).Name} of schema {SchemaV1.Version}.");
}

/// <summary>A setting the catalogue keeps between runs (e.g. the deduplication threshold last chosen).</summary>
public class CatalogueSetting
{
    public const string DedupNameThreshold = "dedup.name_threshold";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>A recorded run of the import (what was read and what it did), for provenance and support.</summary>
public class ImportRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public string Kind { get; set; } = "";
    public int Read { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Merged { get; set; }
    public int Rejected { get; set; }
    public string Report { get; set; } = "{}";
}
