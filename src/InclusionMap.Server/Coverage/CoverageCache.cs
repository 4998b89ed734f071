using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InclusionMap.Data;
using InclusionMap.Data.Analysis;
using InclusionMap.Server.Tiles;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Coverage;

/// <summary>
/// Coverage analyses and printable maps, computed once per question and catalogue version and then reused by GraphQL,
/// the CSV and GeoJSON downloads and the PNG map. A question is normalised first (communes and vocabularies sorted,
/// repeats dropped), so the same question asked in another order or through another entry point is the same entry.
/// The same question asked again while it is being computed waits for that computation rather than starting another.
/// Bounded by <see cref="CacheOptions.CoverageMegabytes"/>, counting the PNG's bytes and an estimate of an analysis's
/// objects. Entries of an older <see cref="CatalogueVersion"/> are no longer asked for and leave as the bound needs room.
/// </summary>
/// <remarks>
/// Not <c>HybridCache</c>: its in-memory level knows an entry's size only for values it serializes (each hit would then
/// deserialize a whole analysis, geometries included), and a size-bounded memory cache refuses entries without a size.
/// </remarks>
public sealed class CoverageCache(ReadRetry reads, CatalogueVersion version, IOptions<CacheOptions> options) : IDisposable
{
    /// <summary>An entry no one asked for this long leaves (those of older catalogue versions, among others).</summary>
    private static readonly TimeSpan Unused = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Task<object>> _running = new(StringComparer.Ordinal);

    public MemoryCache Entries { get; } = new(new MemoryCacheOptions
    {
        SizeLimit = options.Value.CoverageMegabytes * 1024L * 1024,
        TrackStatistics = true,
    });

    /// <summary>The analysis of a question; throws <see cref="ArgumentException"/> for one out of bounds (never cached).</summary>
    public async Task<CoverageResult> AnalyseAsync(CoverageRequest request, CancellationToken ct)
    {
        var question = Normalise(request);
        return await GetAsync("analysis " + await KeyAsync(question, ct),
            c => new CoverageAnalysis(reads.DataSource, reads).RunAsync(question, c), SizeOf, ct);
    }

    /// <summary>The printable map of a département's analysis (PNG bytes).</summary>
    public async Task<byte[]> MapAsync(CoverageRequest request, CancellationToken ct)
    {
        var question = Normalise(request);
        return await GetAsync("map " + await KeyAsync(question, ct), async c =>
        {
            var result = await AnalyseAsync(question, c);
            // The title and the polygons are reads of their own, each retried alone on a broken connection.
            var title = await reads.RunAsync(t => CoverageApi.TitleAsync(reads.DataSource, question.DepartementCode ?? "", t), c);
            return await reads.RunAsync(t => CoverageMap.RenderAsync(reads.DataSource, result, title, t), c);
        }, png => png.Length + 512L, ct);
    }

    /// <summary>
    /// The same question whatever the order of its lists: communes sorted without repeats, vocabularies likewise, empty
    /// ones absent.
    /// </summary>
    public static CoverageRequest Normalise(CoverageRequest request) => request with
    {
        CommuneCodes = request.CommuneCodes?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        Services = Set(request.Services),
        Publics = Set(request.Publics),
        Modalites = Set(request.Modalites),
        Programmes = Set(request.Programmes),
    };

    private static T[]? Set<T>(IReadOnlyList<T>? values) where T : struct, Enum =>
        values is { Count: > 0 } ? values.Distinct().Order().ToArray() : null;

    /// <summary>A normalised question and the catalogue version it is answered for, hashed (a list of communes can be long).</summary>
    private async Task<string> KeyAsync(CoverageRequest q, CancellationToken ct)
    {
        var catalogue = await version.CurrentAsync(ct);
        var text = string.Join('|', catalogue.ToString(CultureInfo.InvariantCulture), q.DepartementCode, q.WholeCountry,
            q.CommuneCodes is null ? "-" : string.Join(',', q.CommuneCodes),
            Join(q.Services), Join(q.Publics), Join(q.Modalites), Join(q.Programmes),
            q.ThresholdMeters.ToString("R", CultureInfo.InvariantCulture), q.Suggestions.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        static string Join<T>(IReadOnlyList<T>? values) where T : struct, Enum =>
            values is null ? "-" : string.Join(',', values.Select(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)));
    }

    private async Task<T> GetAsync<T>(string key, Func<CancellationToken, Task<T>> compute, Func<T, long> sizeOf, CancellationToken ct)
        where T : class
    {
        while (true)
        {
            if (Entries.TryGetValue(key, out T? cached)) return cached!;
            var mine = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = _running.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                try
                {
                    return (T)await running.WaitAsync(ct);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    continue; // the request computing it went away: compute it for this one
                }
            }
            try
            {
                var value = await compute(ct);
                Entries.Set(key, value, new MemoryCacheEntryOptions { Size = sizeOf(value) + 2L * key.Length, SlidingExpiration = Unused });
                mine.SetResult(value);
                return value;
            }
            catch (OperationCanceledException)
            {
                mine.SetCanceled(CancellationToken.None);
                throw;
            }
            catch (Exception e)
            {
                mine.SetException(e);
                _ = mine.Task.Exception; // observed: the one who asked gets it
                throw;
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, Task<object>>(key, mine.Task));
            }
        }
    }

    /// <summary>
    /// An analysis's memory, estimated from what it holds: per commune its record, its point (NetTopologySuite point,
    /// coordinate sequence and coordinate) and its strings; per suggestion and per site point likewise. On the high side,
    /// checked against the heap released when dropping results (the figures are in docs/coverage.md).
    /// </summary>
    internal static long SizeOf(CoverageResult r)
    {
        const int Record = 120, Point = 200, Reference = 8;
        static long Text(string? s) => s is null ? 0 : 24 + 2L * s.Length;
        var size = 1024L;
        foreach (var c in r.Communes) size += Record + Point + Text(c.Code) + Text(c.Nom) + Text(c.NearestSiteName) + Reference;
        size += Reference * r.Gaps.Count;
        foreach (var s in r.Suggestions)
            size += Record + Point + Text(s.CommuneCode) + Text(s.CommuneName) + Reference * s.CoveredCommunes.Count;
        size += (Point + Reference) * r.SiteLocations.Count;
        size += (r.Request.CommuneCodes?.Sum(c => Text(c) + Reference) ?? 0);
        return size;
    }

    public void Dispose() => Entries.Dispose();
}
