using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Tiles;

/// <summary>
/// Rendered tiles, bounded by the memory they really take (<see cref="CacheOptions.TileMegabytes"/>): the tile's bytes,
/// its key and ETag, and the entry itself, so that millions of distinct empty tiles cannot grow the heap past the bound.
/// </summary>
public sealed class TileCache(IOptions<CacheOptions> options) : IDisposable
{
    /// <summary>What an entry costs beyond its bytes and strings: the cache entry, the record, the arrays' headers.</summary>
    private const int EntryOverhead = 256;

    /// <summary>The tiles; <see cref="MemoryCache.GetCurrentStatistics"/> tells their count and accounted size.</summary>
    public MemoryCache Entries { get; } = new(new MemoryCacheOptions
    {
        SizeLimit = options.Value.TileMegabytes * 1024L * 1024,
        TrackStatistics = true,
    });

    internal static long SizeOf(string key, TilesApi.CachedTile tile) =>
        tile.Bytes.Length + 2L * (key.Length + tile.ETag.Length) + EntryOverhead;

    public void Dispose() => Entries.Dispose();
}
