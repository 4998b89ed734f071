namespace InclusionMap.Data.Moderation;

/// <summary>Where a report stands: open in the queue, or resolved one way or the other.</summary>
public enum ReportStatus
{
    Open,
    /// <summary>The place was corrected (or the coordinator judged the report right).</summary>
    Fixed,
    /// <summary>The coordinator found nothing wrong.</summary>
    NotAProblem,
}
