namespace InclusionMap.Data.Moderation;

/// <summary>What a resident says is wrong with a place (GraphQL <c>ReportKind</c>: <c>CLOSED</c>, <c>WRONG_HOURS</c>…).</summary>
public enum ReportKind
{
    /// <summary>Closed for good.</summary>
    Closed,
    WrongHours,
    /// <summary>Wrong address or position on the map.</summary>
    WrongAddress,
    /// <summary>Wrong phone number or email address.</summary>
    WrongContact,
    Other,
}
