using NetTopologySuite.Geometries;

namespace InclusionMap.Core.Territories;

/// <summary>A commune of the official geographic code (COG 2026) with its polygon, population and census indicators.</summary>
public class Commune
{
    public string Code { get; set; } = "";
    public string Nom { get; set; } = "";
    public string DepartementCode { get; set; } = "";
    public string RegionCode { get; set; } = "";
    public string? EpciSiren { get; set; }
    public string? EpciNom { get; set; }
    /// <summary>INSEE population municipale (populations légales, millésime of decoupage-administratif 6.0.0).</summary>
    public int? Population { get; set; }
    public List<string> CodesPostaux { get; set; } = [];
    /// <summary>The name folded to lower case without accents (database-generated, trigram-indexed), for suggestions.</summary>
    public string SearchText { get; private set; } = "";
    /// <summary>The polygon, in the same row but read only when asked for (it is large).</summary>
    public CommuneShape? Shape { get; set; }
    /// <summary>
    /// A point guaranteed inside the polygon (<c>ST_PointOnSurface</c>): the population centre used by the coverage analysis.
    /// </summary>
    public Point? Centre { get; set; }
    /// <summary>Geodesic area of the polygon in km² (<c>ST_Area(geography)</c>).</summary>
    public double? AreaKm2 { get; set; }

    // Census 2017 indicators (INSEE RP 2017 via Data For Good), as fractions 0..1.
    public double? ShareNoDiploma { get; set; }
    public double? ShareLivingAlone { get; set; }
    public double? ShareSingleParentFamilies { get; set; }
    public double? Share65Plus { get; set; }
    public double? Share25OrUnder { get; set; }
    public double? PovertyRate { get; set; }

    // Estimated illectronism (docs/illectronism.md), recomputed after every territory import.
    /// <summary>Estimated people aged 15 or more.</summary>
    public double? Population15Plus { get; set; }
    /// <summary>Estimated share of the 15+ in illectronism (0..1), with its plausible interval.</summary>
    public double? IllectronismRate { get; set; }
    public double? IllectronismLow { get; set; }
    public double? IllectronismHigh { get; set; }
    /// <summary>People in need: <see cref="Population15Plus"/> × <see cref="IllectronismRate"/>.</summary>
    public double? PeopleInNeed { get; set; }
    /// <summary>The model's territory class (<c>rural</c>, <c>small-town</c>, <c>large-city</c>, <c>other</c>).</summary>
    public string? TerritoryClass { get; set; }
    /// <summary>True when a census indicator was missing and the département's mean stood in.</summary>
    public bool IllectronismImputed { get; set; }

    // Indice de Fragilité Numérique (La Mednum), 0–10, 10 = most fragile: a risk score, not a rate. Shown beside our
    // estimate, never mixed into it.
    public double? IfnTotal { get; set; }
    public double? IfnNoThdCoverage { get; set; }
    public double? IfnNo4gCoverage { get; set; }
    public double? IfnPoverty { get; set; }
    public double? IfnOlder65 { get; set; }
    public double? IfnLowDiploma { get; set; }

    public Departement? Departement { get; set; }
    public List<Places.Site> Sites { get; set; } = [];
}
