using InclusionMap.Core.Territories;

namespace InclusionMap.Server.GraphQL;

public sealed record CommuneConnection(IReadOnlyList<CommuneEdge> Edges, bool HasNextPage, bool HasPreviousPage,
    IQueryable<Commune> Filtered);
