using System.Text.Json;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using InclusionMap.Data.Accounts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace InclusionMap.Data;

/// <summary>
/// The catalogue in PostGIS. Table and column names are snake_case so the database reads well from SQL, tiles and
/// third-party tools. Vocabulary lists are stored as <c>text[]</c> of the official French labels. Beside the catalogue:
/// accounts (ASP.NET Core Identity's user, login, claim and token tables), personal API tokens, one-time links, the
/// audit log and the Data Protection keys that several servers share; the API's read-only role cannot read them
/// (<see cref="CatalogueRoles"/>).
/// </summary>
public class CatalogueDbContext : DbContext, IDataProtectionKeyContext
{
    public CatalogueDbContext(DbContextOptions<CatalogueDbContext> options) : base(options)
    {
    }

    /// <summary>For views of this model that derive from it (the OData feed's <c>CatalogueFeedDbContext</c>).</summary>
    protected CatalogueDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteSource> SiteSources => Set<SiteSource>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<CommuneCode> CommuneCodes => Set<CommuneCode>();
    public DbSet<Departement> Departements => Set<Departement>();
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<CatalogueSetting> Settings => Set<CatalogueSetting>();
    public DbSet<History.SiteChange> SiteChanges => Set<History.SiteChange>();
    public DbSet<Sources.CatalogueSource> Sources => Set<Sources.CatalogueSource>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<OneTimeLink> OneTimeLinks => Set<OneTimeLink>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Moderation.Report> Reports => Set<Moderation.Report>();
    public DbSet<Moderation.ReportEntry> ReportEntries => Set<Moderation.ReportEntry>();
    public DbSet<Moderation.Suggestion> Suggestions => Set<Moderation.Suggestion>();
    public DbSet<Moderation.SiteEdit> SiteEdits => Set<Moderation.SiteEdit>();

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
            site.Property(s => s.LocationGeometry).HasColumnType("geometry(Point,4326)").HasComputedColumnSql("location::geometry",
                stored: true);
            site.HasIndex(s => s.LocationGeometry).HasMethod("gist");
            site.Property(s => s.SearchText).HasComputedColumnSql("lower(im_unaccent(nom || ' ' || commune_name || ' ' || adresse))",
                stored: true);
            site.HasIndex(s => s.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
            site.HasIndex(s => s.CommuneCode);
            site.HasIndex(s => s.DepartementCode);
            site.HasOne(s => s.Commune).WithMany(c => c.Sites).HasForeignKey(s => s.CommuneCode).OnDelete(DeleteBehavior.SetNull);
            site.HasMany(s => s.Sources).WithOne(s => s.Site).HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Cascade);
            // Retired places are hidden from every reader of this model (OData, exports); the importer and the
            // deduplication see them (IgnoreQueryFilters). SiteQuery applies the same rule in its SQL.
            site.HasQueryFilter(s => s.RetiredAt == null);
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
            commune.Property(c => c.Centre).HasColumnType("geometry(Point,4326)");
            // The polygon shares the row but is its own entity, so a commune is read without it unless asked for.
            commune.HasOne(c => c.Shape).WithOne().HasForeignKey<CommuneShape>(s => s.Code);
            commune.Navigation(c => c.Shape).IsRequired();
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

        model.Entity<CommuneShape>(shape =>
        {
            shape.ToTable("communes");
            shape.HasKey(s => s.Code);
            shape.Property(s => s.Geometry).HasColumnType("geometry(MultiPolygon,4326)");
            shape.HasIndex(s => s.Geometry).HasMethod("gist");
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
            // Aggregated figures and the région are the OData feed's view of the model (CatalogueFeedDbContext).
            d.Ignore(x => x.SiteCount);
            d.Ignore(x => x.PeopleInNeed);
            d.Ignore(x => x.Population15Plus);
            d.Ignore(x => x.IllectronismRate);
            d.Ignore(x => x.Region);
        });

        model.Entity<Region>(r =>
        {
            r.ToTable("regions");
            r.HasKey(x => x.Code);
            r.Ignore(x => x.Departements);
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
            run.Property(r => r.Actor).HasDefaultValue("import");
            run.Property(r => r.Applied).HasDefaultValue(true);
        });

        model.Entity<History.SiteChange>(change =>
        {
            change.ToTable("site_history");
            change.HasIndex(c => new { c.SiteId, c.Id });
        });

        model.Entity<Sources.CatalogueSource>(source =>
        {
            source.ToTable("sources");
            source.HasKey(s => s.Name);
            source.HasIndex(s => s.Dataset).IsUnique();
            source.Property(s => s.ETag).HasColumnName("etag");
        });

        OnAccountsCreating(model);
        Moderation.ModerationModel.Configure(model);
    }

    /// <summary>
    /// Identity's tables as <c>IdentityUserContext</c> declares them (schema version 1: no passkeys), under our names,
    /// and ours beside them.
    /// </summary>
    private static void OnAccountsCreating(ModelBuilder model)
    {
        model.Entity<Account>(account =>
        {
            account.ToTable("accounts");
            account.HasKey(a => a.Id);
            account.Property(a => a.ConcurrencyStamp).IsConcurrencyToken();
            foreach (var name in new[] { nameof(Account.UserName), nameof(Account.NormalizedUserName), nameof(Account.Email),
                nameof(Account.NormalizedEmail) })
                account.Property(name).HasMaxLength(256);
            account.HasIndex(a => a.NormalizedUserName).IsUnique();
            account.HasIndex(a => a.NormalizedEmail).IsUnique();
            account.Property(a => a.Role).HasConversion(r => r.Name(), name => AccountRoles.Parse(name)).HasMaxLength(16);
            account.Ignore(a => a.Revoked);
            account.HasMany<IdentityUserClaim<Guid>>().WithOne().HasForeignKey(c => c.UserId).IsRequired();
            account.HasMany<IdentityUserLogin<Guid>>().WithOne().HasForeignKey(l => l.UserId).IsRequired();
            account.HasMany<IdentityUserToken<Guid>>().WithOne().HasForeignKey(t => t.UserId).IsRequired();
        });
        model.Entity<IdentityUserClaim<Guid>>(claim =>
        {
            claim.ToTable("account_claims");
            claim.HasKey(c => c.Id);
        });
        model.Entity<IdentityUserLogin<Guid>>(login =>
        {
            login.ToTable("account_logins");
            login.HasKey(l => new { l.LoginProvider, l.ProviderKey });
        });
        model.Entity<IdentityUserToken<Guid>>(token =>
        {
            token.ToTable("account_tokens");
            token.HasKey(t => new { t.UserId, t.LoginProvider, t.Name });
        });

        model.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasIndex(t => t.AccountId);
            token.Property(t => t.Name).HasMaxLength(100);
            token.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<OneTimeLink>(link =>
        {
            link.ToTable("one_time_links");
            link.HasIndex(l => l.Hash).IsUnique();
            link.Property(l => l.Purpose).HasConversion<string>().HasMaxLength(32);
            link.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        // No foreign key: the log outlives anything it mentions.
        model.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_log");
            entry.Property(e => e.At).HasDefaultValueSql("now()");
            entry.Property(e => e.Details).HasColumnType("jsonb");
            entry.HasIndex(e => e.At);
            entry.HasIndex(e => e.AccountId);
        });

        model.Entity<DataProtectionKey>(key => key.ToTable("data_protection_keys"));
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

