using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Catalogue;

/// <summary>
/// Where the catalogue lives (configuration section <c>InclusionMap</c>; connection strings under <c>ConnectionStrings</c>).
/// </summary>
public sealed class CatalogueOptions
{
    public const string Section = "InclusionMap";

    /// <summary>The private cluster's directory (default: $INCLUSIONMAP_STATE, else a per-user or system directory).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>The open data the first start loads (default: $INCLUSIONMAP_DATA, else ../shared/data beside the repository).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Whether an empty catalogue is loaded with the open data at start.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>The private cluster's API role cancels a statement after this many seconds.</summary>
    [Range(0.001, 3600)]
    public double ReaderStatementTimeoutSeconds { get; set; } = 5;
}
