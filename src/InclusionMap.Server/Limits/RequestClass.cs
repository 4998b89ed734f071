namespace InclusionMap.Server.Limits;

/// <summary>What a request costs the server, which decides the budget it is counted against (<see cref="RateLimitOptions"/>).</summary>
public enum RequestClass
{
    /// <summary><c>/health</c>: never limited (static files are served before any limit).</summary>
    Unlimited,
    /// <summary>GraphQL and OData reads, the pages and anything not named below.</summary>
    Search,
    /// <summary>The coverage analysis: a GraphQL document asking for <c>coverage</c>, and <c>/coverage/…</c> downloads.</summary>
    Analysis,
    /// <summary>Printable maps, <c>/maps/…</c>.</summary>
    Maps,
    /// <summary>Vector tiles, <c>/tiles/…</c>.</summary>
    Tiles,
}
