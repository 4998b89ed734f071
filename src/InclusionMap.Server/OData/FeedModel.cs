using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Spatial;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.OData;

// The OData feed reads the catalogue through its own entity classes: the EDM is built from CLR types, and the shape a
// spreadsheet or Power BI should see (plain strings for the vocabularies, Microsoft.Spatial values, no internal columns)
// is not the shape of the domain model. The NTS columns keep their own names (LocationPoint, Shape.Polygons) and are
// left out of the EDM; the EDM sees the Microsoft.Spatial properties computed from them.

/// <summary>A place of digital help as the OData feed shows it (one row of <c>sites</c>).</summary>
public sealed class FeedSite
{
    public long Id { get; set; }
    public string Pivot { get; set; } = "";
    public string Nom { get; set; } = "";
    public string CommuneName { get; set; } = "";
    public string CodePostal { get; set; } = "";
    public string? CodeInsee { get; set; }
    public string Adresse { get; set; } = "";
    public string? ComplementAdresse { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public List<string> Typologie { get; set; } = [];
    public string? Telephone { get; set; }
    public List<string> Courriels { get; set; } = [];
    public List<string> SiteWeb { get; set; } = [];
    public string? Horaires { get; set; }
    public string? PresentationResume { get; set; }
    public string? PresentationDetail { get; set; }
    public string? Source { get; set; }
    public List<string> Itinerance { get; set; } = [];
    public string? StructureParente { get; set; }
    public DateOnly DateMaj { get; set; }
    public List<string> Services { get; set; } = [];
    public List<string> PublicsSpecifiquementAdresses { get; set; } = [];
    public List<string> PriseEnChargeSpecifique { get; set; } = [];
    public List<string> FraisACharge { get; set; } = [];
    public List<string> DispositifProgrammesNationaux { get; set; } = [];
    public List<string> FormationsLabels { get; set; } = [];
    public List<string> AutresFormationsLabels { get; set; } = [];
    public List<string> ModalitesAcces { get; set; } = [];
    public List<string> ModalitesAccompagnement { get; set; } = [];
    public string? FicheAccesLibre { get; set; }
    public string? PriseRdv { get; set; }
    public string? CommuneCode { get; set; }
    public string? DepartementCode { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public FeedCommune? Commune { get; set; }

    /// <summary><c>location</c>, geography(Point,4326): what the binders translate geo.* against. Not in the EDM.</summary>
    public Point? LocationPoint { get; set; }
    /// <summary><c>location_geometry</c>, the planar twin used for polygons (GeoJSON-style lon/lat shapes). Not in the EDM.</summary>
    public Point? LocationGeometry { get; set; }
    /// <summary>Folded name + commune + address, trigram-indexed: what <c>$search</c> matches. Not in the EDM.</summary>
    public string SearchText { get; set; } = "";
    public bool Synthetic { get; set; }

    /// <summary>The EDM's <c>Location</c> (Edm.GeographyPoint). Not mapped by EF: computed from <see cref="LocationPoint"/>.</summary>
    public GeographyPoint? Location => FeedSpatial.ToGeography(LocationPoint);
}

/// <summary>A commune; its polygon lives in <see cref="Shape"/> (same row) so that it is read only when asked for.</summary>
public sealed class FeedCommune
{
    public string Code { get; set; } = "";
    public string Nom { get; set; } = "";
    public string DepartementCode { get; set; } = "";
    public string RegionCode { get; set; } = "";
    public string? EpciSiren { get; set; }
    public string? EpciNom { get; set; }
    public int? Population { get; set; }
    public List<string> CodesPostaux { get; set; } = [];
    public double? AreaKm2 { get; set; }
    public double? ShareNoDiploma { get; set; }
    public double? ShareLivingAlone { get; set; }
    public double? ShareSingleParentFamilies { get; set; }
    public double? Share65Plus { get; set; }
    public double? Share25OrUnder { get; set; }
    public double? PovertyRate { get; set; }

    // Estimated illectronism (docs/illectronism.md) and La Mednum's Indice de Fragilité Numérique (a 0–10 risk score).
    public double? Population15Plus { get; set; }
    public double? IllectronismRate { get; set; }
    public double? IllectronismLow { get; set; }
    public double? IllectronismHigh { get; set; }
    public double? PeopleInNeed { get; set; }
    public bool IllectronismImputed { get; set; }
    public string? TerritoryClass { get; set; }
    public double? IfnTotal { get; set; }
    public double? IfnNoThdCoverage { get; set; }
    public double? IfnNo4gCoverage { get; set; }
    public double? IfnPoverty { get; set; }
    public double? IfnOlder65 { get; set; }
    public double? IfnLowDiploma { get; set; }
    public string SearchText { get; set; } = "";
    public FeedDepartement? Departement { get; set; }
    public List<FeedSite> Sites { get; set; } = [];
    public FeedCommuneShape? Shape { get; set; }

    /// <summary>The EDM's <c>Geometry</c>; filled only when the query projected it (see <see cref="FeedSelectExpandBinder"/>).</summary>
    public GeographyMultiPolygon? Geometry => FeedSpatial.ToGeography(Shape?.Polygons);
}

/// <summary>The polygon of a commune, table-split from <see cref="FeedCommune"/>: never loaded with it by default.</summary>
public sealed class FeedCommuneShape
{
    public string Code { get; set; } = "";
    public MultiPolygon? Polygons { get; set; }
}

public sealed class FeedDepartement
{
    public string Code { get; set; } = "";
    public string Nom { get; set; } = "";
    public string RegionCode { get; set; } = "";
    public string Zone { get; set; } = "";
    public long? Population { get; set; }
    /// <summary>Published places in the département (computed by the database, see <see cref="CatalogueFeedDbContext"/>).</summary>
    public long SiteCount { get; set; }
    /// <summary>Sum over the communes of the estimated people in illectronism.</summary>
    public double? PeopleInNeed { get; set; }
    public double? Population15Plus { get; set; }
    /// <summary>The communes' rates weighted by their population aged 15+: PeopleInNeed / Population15Plus.</summary>
    public double? IllectronismRate { get; set; }
    public FeedRegion? Region { get; set; }
    public List<FeedCommune> Communes { get; set; } = [];
}

public sealed class FeedRegion
{
    public string Code { get; set; } = "";
    public string Nom { get; set; } = "";
    public string Zone { get; set; } = "";
    public long? Population { get; set; }
    public List<FeedDepartement> Departements { get; set; } = [];
}

/// <summary>
/// A second, read-only EF model over the catalogue tables for the OData feed (no migrations: the tables belong to
/// <see cref="CatalogueDbContext"/>). Same read data source and interceptors as the main context.
/// </summary>
public sealed class CatalogueFeedDbContext(DbContextOptions<CatalogueFeedDbContext> options) : DbContext(options)
{
    public IQueryable<FeedSite> Sites => Set<FeedSite>().AsNoTracking();
    public IQueryable<FeedCommune> Communes => Set<FeedCommune>().AsNoTracking();
    public IQueryable<FeedDepartement> Departements => Set<FeedDepartement>().AsNoTracking();
    public IQueryable<FeedRegion> Regions => Set<FeedRegion>().AsNoTracking();

    /// <summary>Benchmark scale-up databases serve their synthetic rows; the real catalogue never holds any.</summary>
    public bool IncludeSynthetic { get; set; }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<FeedSite>(site =>
        {
            site.ToTable("sites");
            site.Ignore(s => s.Location);
            site.Property(s => s.LocationPoint).HasColumnName("location").HasColumnType("geography(Point,4326)");
            site.Property(s => s.LocationGeometry).HasColumnType("geometry(Point,4326)");
            // Benchmark scale-ups are never part of the published catalogue (unless a benchmark database says so).
            site.HasQueryFilter(s => IncludeSynthetic || !s.Synthetic);
            site.HasOne(s => s.Commune).WithMany(c => c.Sites).HasForeignKey(s => s.CommuneCode);
        });
        model.Entity<FeedCommune>(commune =>
        {
            commune.ToTable("communes");
            commune.HasKey(c => c.Code);
            commune.Ignore(c => c.Geometry);
            commune.Property(c => c.Share65Plus).HasColumnName("share_65_plus");
            commune.Property(c => c.Share25OrUnder).HasColumnName("share_25_or_under");
            commune.Property(c => c.Population15Plus).HasColumnName("population_15_plus");
            commune.Property(c => c.IfnNo4gCoverage).HasColumnName("ifn_no_4g_coverage");
            commune.Property(c => c.IfnOlder65).HasColumnName("ifn_older_65");
            commune.HasOne(c => c.Departement).WithMany(d => d.Communes).HasForeignKey(c => c.DepartementCode);
            commune.HasOne(c => c.Shape).WithOne().HasForeignKey<FeedCommuneShape>(s => s.Code);
            // EF reads the split shape through a self-join on the primary key; filters on it still use the GiST index
            // (the planner scans the index on the joined side, then looks the commune up by key: see SpatialQueryTests).
            commune.Navigation(c => c.Shape).IsRequired();
        });
        model.Entity<FeedCommuneShape>(shape =>
        {
            shape.ToTable("communes");
            shape.HasKey(s => s.Code);
            shape.Property(s => s.Polygons).HasColumnName("geometry").HasColumnType("geometry(MultiPolygon,4326)");
        });
        model.Entity<FeedDepartement>(d =>
        {
            // A query rather than the table, so that figures aggregated from communes and sites are plain columns that
            // $filter, $orderby and $select treat like any other (EF composes over it as a subquery).
            d.ToSqlQuery("""
                SELECT d.code, d.nom, d.region_code, d.zone, d.population,
                       (SELECT count(*) FROM sites s WHERE s.departement_code = d.code AND NOT s.synthetic) AS site_count,
                       a.people_in_need, a.population_15_plus, a.people_in_need / nullif(a.population_15_plus, 0) AS illectronism_rate
                FROM departements d
                LEFT JOIN LATERAL (SELECT sum(c.people_in_need) AS people_in_need, sum(c.population_15_plus) AS population_15_plus
                                   FROM communes c WHERE c.departement_code = d.code) a ON true
                """);
            d.HasKey(x => x.Code);
            d.Property(x => x.Population15Plus).HasColumnName("population_15_plus");
            d.HasOne(x => x.Region).WithMany(r => r.Departements).HasForeignKey(x => x.RegionCode);
        });
        model.Entity<FeedRegion>(r =>
        {
            r.ToTable("regions");
            r.HasKey(x => x.Code);
        });
    }
}
