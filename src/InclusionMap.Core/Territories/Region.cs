namespace InclusionMap.Core.Territories;

/// <summary>A région.</summary>
public class Region
{
    public string Code { get; set; } = "";
    public string Nom { get; set; } = "";
    public string Zone { get; set; } = "";
    public long? Population { get; set; }
    public List<Departement> Departements { get; set; } = [];
}
