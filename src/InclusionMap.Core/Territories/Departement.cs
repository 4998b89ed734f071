using NetTopologySuite.Geometries;

namespace InclusionMap.Core.Territories;

/// <summary>A département (or overseas collectivity).</summary>
public class Departement
{
    public string Code { get; set; } = "";
    public string Nom { get; set; } = "";
    public string RegionCode { get; set; } = "";
    public string Zone { get; set; } = "";
    public long? Population { get; set; }
    public MultiPolygon? Geometry { get; set; }
    public List<Commune> Communes { get; set; } = [];

    // Figures aggregated from the communes and sites: read through the OData feed's view of the model
    // (CatalogueFeedDbContext), not stored.
    /// <summary>Published places in the département.</summary>
    public long SiteCount { get; set; }
    /// <summary>Sum over the communes of the estimated people in illectronism.</summary>
    public double? PeopleInNeed { get; set; }
    public double? Population15Plus { get; set; }
    /// <summary>The communes' rates weighted by their population aged 15+: PeopleInNeed / Population15Plus.</summary>
    public double? IllectronismRate { get; set; }
    public Region? Region { get; set; }
}
