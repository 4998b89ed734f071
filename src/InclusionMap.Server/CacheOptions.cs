using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server;

/// <summary>The in-memory caches and their bounds (configuration section <c>InclusionMap:Caches</c>).</summary>
public sealed class CacheOptions
{
    public const string Section = "InclusionMap:Caches";

    /// <summary>Rendered vector tiles, counted in real bytes (tile, key and entry).</summary>
    [Range(1, 16_384)]
    public int TileMegabytes { get; set; } = 256;

    /// <summary>
    /// Parsed and validated GraphQL documents and their direct plans, counted by the length of their query text: a
    /// repeated query skips parsing and validation.
    /// </summary>
    [Range(1, 1_024)]
    public int GraphQLDocumentMegabytes { get; set; } = 16;

    /// <summary>
    /// Coverage analyses and printable maps by question and catalogue version (<c>CoverageCache</c>): the PNG's bytes and
    /// an estimate of an analysis's objects (docs/coverage.md compares the estimate with measured sizes).
    /// </summary>
    [Range(1, 16_384)]
    public int CoverageMegabytes { get; set; } = 64;
}
