using System.Net;
using InclusionMap.Server.Tiles;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.Tiles;

/// <summary>
/// The tile cache holds at most its bound in accounted bytes, however many distinct tiles are asked for: empty tiles
/// cost their key, ETag and entry, so millions of them cannot grow the heap; a real tile costs at least its bytes.
/// Measured by the cache's own statistics.
/// </summary>
public sealed class TileCacheBoundTests(SmallTileCacheServer server) : IClassFixture<SmallTileCacheServer>
{
    private Microsoft.Extensions.Caching.Memory.MemoryCacheStatistics Statistics() =>
        server.App.Services.GetRequiredService<TileCache>().Entries.GetCurrentStatistics()!;

    [Fact]
    public async Task A_real_tile_counts_its_bytes_and_thousands_of_distinct_empty_tiles_never_take_more_than_the_bound()
    {
        // A communes tile of the Creuse at zoom 7, into the empty cache: accounted at least its bytes.
        var before = Statistics().CurrentEstimatedSize;
        var tile = await server.Client.GetByteArrayAsync("/tiles/communes/7/64/45.mvt");
        Assert.True(tile.Length > 1_000, $"{tile.Length} bytes");
        Assert.True(Statistics().CurrentEstimatedSize - before >= tile.Length);

        // Zoom 20 over the Atlantic: every tile is a distinct, empty one (200 with no bytes).
        const int z = 20, x0 = 400_000, y0 = 380_000, tiles = 4_000;
        var peakEntries = 0L;
        for (var batch = 0; batch < tiles; batch += 50)
        {
            var answers = await Task.WhenAll(Enumerable.Range(batch, 50).Select(i =>
                server.Client.GetAsync($"/tiles/sites/{z}/{x0 + i % 100}/{y0 + i / 100}.mvt")));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            Assert.All(answers, a => Assert.Equal(0, a.Content.Headers.ContentLength));
            var statistics = Statistics();
            Assert.True(statistics.CurrentEstimatedSize <= SmallTileCacheServer.BoundBytes,
                $"after {batch + 50} tiles: {statistics.CurrentEstimatedSize} bytes accounted, bound {SmallTileCacheServer.BoundBytes}");
            peakEntries = Math.Max(peakEntries, statistics.CurrentEntryCount);
        }
        var end = Statistics();
        // The cache did fill up to near its bound, and entries were evicted or refused: fewer kept than asked for.
        Assert.True(end.CurrentEstimatedSize > SmallTileCacheServer.BoundBytes / 2, $"{end.CurrentEstimatedSize} bytes accounted");
        Assert.True(peakEntries < tiles, $"{peakEntries} entries kept at most, of {tiles} distinct tiles");
        Assert.True(end.TotalMisses >= tiles, $"{end.TotalMisses} misses");
        // Each empty tile is accounted its strings and entry, not zero.
        var perEntry = end.CurrentEstimatedSize / end.CurrentEntryCount;
        Assert.True(perEntry >= 256, $"{perEntry} bytes per entry");
    }
}
