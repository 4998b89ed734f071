namespace InclusionMap.Data.Moderation;

/// <summary>
/// A problem residents reported about a place, as the moderation queue shows it: while it is open, every new report of
/// the same kind on the same place joins it (<see cref="Count"/> goes up, its message is one more
/// <see cref="ReportEntry"/>), so a hundred reports of one closure are one item. A coordinator of its département
/// resolves it: fixed (after editing the place) or not a problem, with an optional answer mailed to the reporters.
/// </summary>
public class Report
{
    public long Id { get; set; }

    /// <summary>The place reported (no foreign key: a report outlives a place merged into another).</summary>
    public long SiteId { get; set; }

    /// <summary>The place's département when reported: whose queue the report is in.</summary>
    public string? DepartementCode { get; set; }

    public ReportKind Kind { get; set; }
    public ReportStatus Status { get; set; }

    /// <summary>How many reports joined this item.</summary>
    public int Count { get; set; }

    public DateTimeOffset FirstReportedAt { get; set; }
    public DateTimeOffset LastReportedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The account that resolved it.</summary>
    public Guid? ResolvedBy { get; set; }

    /// <summary>The answer mailed to the reporters who left an address, if one was written.</summary>
    public string? Answer { get; set; }

    public List<ReportEntry> Entries { get; set; } = [];
}
