
namespace InclusionMap.Server.GraphQL;

/// <summary>The sum over a département's communes.</summary>
public sealed record DepartementIllectronism(double Rate, double PeopleInNeed, double Population15Plus);
