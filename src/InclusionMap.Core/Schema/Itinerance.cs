namespace InclusionMap.Core.Schema;

/// <summary><c>itinerance</c>: a place may be both.</summary>
public enum Itinerance
{
    [Label("Itinérant")] Itinerant,
    [Label("Fixe")] Fixe,
}
