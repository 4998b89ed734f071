namespace InclusionMap.Data.Moderation;

/// <summary>
/// One report as a resident sent it: when, the free text, and the address to answer to if one was left. Addresses are
/// private (the API's read-only role cannot read this table) and erased once the report is resolved and answered.
/// </summary>
public class ReportEntry
{
    public long Id { get; set; }
    public long ReportId { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Message { get; set; }
    public string? Email { get; set; }
}
