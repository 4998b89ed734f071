namespace InclusionMap.Server.GraphQL;

public sealed record PageInfoData(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
