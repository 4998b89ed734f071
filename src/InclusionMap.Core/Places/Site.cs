using InclusionMap.Core.Schema;
using NetTopologySuite.Geometries;

namespace InclusionMap.Core.Places;

/// <summary>
/// A place offering digital help, as residents see it: one record per real place, carrying every field of the
/// national schema v1.0.2 with its vocabularies typed, and the provenance of each source record merged into it.
/// </summary>
public class Site
{
    public long Id { get; set; }

    // --- National schema v1.0.2 fields (names follow the schema) ---
    public string Pivot { get; set; } = "";
    public string Nom { get; set; } = "";
    /// <summary>The schema's <c>commune</c> field: the commune name as the producer wrote it.</summary>
    public string CommuneName { get; set; } = "";
    public string CodePostal { get; set; } = "";
    /// <summary>The schema's <c>code_insee</c> as given by the source (may be an arrondissement or a former code).</summary>
    public string? CodeInsee { get; set; }
    public string Adresse { get; set; } = "";
    public string? ComplementAdresse { get; set; }
    /// <summary>WGS84 point, stored as <c>geography(Point,4326)</c> with a GiST index.</summary>
    public Point? Location { get; set; }
    /// <summary>Generated from <see cref="Location"/> by the database.</summary>
    public double? Latitude { get; private set; }
    /// <summary>Generated from <see cref="Location"/> by the database.</summary>
    public double? Longitude { get; private set; }
    public List<string> Typologie { get; set; } = [];
    public string? Telephone { get; set; }
    public List<string> Courriels { get; set; } = [];
    public List<string> SiteWeb { get; set; } = [];
    /// <summary>OSM opening_hours text, kept verbatim.</summary>
    public string? Horaires { get; set; }
    public string? PresentationResume { get; set; }
    public string? PresentationDetail { get; set; }
    /// <summary>The schema's <c>source</c> field (the producer's own source label).</summary>
    public string? Source { get; set; }
    public List<Itinerance> Itinerance { get; set; } = [];
    public string? StructureParente { get; set; }
    public DateOnly DateMaj { get; set; }
    public List<Service> Services { get; set; } = [];
    public List<Public> PublicsSpecifiquementAdresses { get; set; } = [];
    public List<PriseEnChargeSpecifique> PriseEnChargeSpecifique { get; set; } = [];
    public List<FraisACharge> FraisACharge { get; set; } = [];
    public List<DispositifProgrammeNational> DispositifProgrammesNationaux { get; set; } = [];
    public List<FormationLabel> FormationsLabels { get; set; } = [];
    public List<string> AutresFormationsLabels { get; set; } = [];
    public List<ModaliteAcces> ModalitesAcces { get; set; } = [];
    public List<ModaliteAccompagnement> ModalitesAccompagnement { get; set; } = [];
    public string? FicheAccesLibre { get; set; }
    public string? PriseRdv { get; set; }

    // --- Resolved territory ---
    /// <summary>The current (COG 2026) commune the place belongs to: from <see cref="CodeInsee"/> when it resolves, else by point in polygon.</summary>
    public string? CommuneCode { get; set; }
    public string? DepartementCode { get; set; }
    public Territories.Commune? Commune { get; set; }

    /// <summary>Benchmark scale-ups only; never part of the real catalogue.</summary>
    public bool Synthetic { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<SiteSource> Sources { get; set; } = [];
}
