using InclusionMap.Data.Analysis;
using InclusionMap.Data.Sites;
using InclusionMap.Server.Tiles;
using Npgsql;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The figures of every territory (<see cref="TerritoryFigureTable"/>), computed once per catalogue version
/// (<see cref="CatalogueVersion"/>) and shared by every request until an import changes the catalogue.
/// </summary>
public sealed class TerritoryFiguresCache(NpgsqlDataSource reads, SiteQuery sites, CatalogueVersion version)
{
    private (long Version, Task<TerritoryFigureTable> Table)? _current;
    private readonly Lock _lock = new();

    public Task<TerritoryFigureTable> GetAsync()
    {
        lock (_lock)
        {
            var now = version.Current;
            if (_current is not { } c || c.Version != now || c.Table.IsFaulted || c.Table.IsCanceled)
                // Not the request's token: the table outlives the request that first asked for it.
                _current = (now, TerritoryFigureTable.LoadAsync(reads, sites, CancellationToken.None));
            return _current.Value.Table;
        }
    }
}
