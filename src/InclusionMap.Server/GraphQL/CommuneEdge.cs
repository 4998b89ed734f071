using InclusionMap.Core.Territories;

namespace InclusionMap.Server.GraphQL;

public sealed record CommuneEdge(string Cursor, Commune Node);
