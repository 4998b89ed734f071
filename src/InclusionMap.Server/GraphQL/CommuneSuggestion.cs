
namespace InclusionMap.Server.GraphQL;

/// <summary>A commune proposed while someone types a name or a postcode.</summary>
public sealed record CommuneSuggestion(string Code, string Name, string DepartementCode, int? Population,
    IReadOnlyList<string> CodesPostaux, double? Latitude, double? Longitude);
