namespace InclusionMap.Server.GraphQL;

public sealed record WeekdayOpening(string Day, IReadOnlyList<string> Ranges, bool Conditional);
