namespace InclusionMap.Core.Places;

/// <summary>
/// Provenance: one record of one source dataset, as imported. A site has one or more (after deduplication).
/// The normalised schema-v1 record and the raw source row are both kept, so nothing read is ever lost and
/// a site can be rebuilt from its sources.
/// </summary>
public class SiteSource
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public Site? Site { get; set; }

    /// <summary>
    /// Stable name of the dataset (file name without date prefix and extension, or <c>--source</c>), e.g.
    /// <c>france-services_liste-fs</c>.
    /// </summary>
    public string Dataset { get; set; } = "";
    /// <summary>The record's identifier within its dataset. (Dataset, SourceId) is the upsert key.</summary>
    public string SourceId { get; set; } = "";
    public string SourceFile { get; set; } = "";
    public string Format { get; set; } = "";
    public int RowNumber { get; set; }
    public DateOnly DateMaj { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    /// <summary>SHA-256 of the normalised record: re-importing an unchanged row changes nothing.</summary>
    public string RecordHash { get; set; } = "";
    /// <summary>The normalised schema v1.0.2 record (field name → text).</summary>
    public Dictionary<string, string?> Record { get; set; } = [];
    /// <summary>The source row exactly as read, as JSON.</summary>
    public string Raw { get; set; } = "{}";
    /// <summary>The last time a file of the dataset was read and held this record.</summary>
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>Set when a newer complete file of the dataset no longer holds the record; cleared when it comes back.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
