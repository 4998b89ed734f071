namespace InclusionMap.Data.Moderation;

/// <summary>Where an edited field stands (<see cref="SiteEdit"/>).</summary>
public enum SiteEditStatus
{
    /// <summary>It wins over the sources.</summary>
    Active,
    /// <summary>A source published a newer record with another value: shown in the queue, the source's value in force.</summary>
    Conflict,
    /// <summary>A later edit of the same field replaced it, or the source came to give the same value.</summary>
    Superseded,
    /// <summary>A coordinator settled its conflict in favour of the source.</summary>
    Dismissed,
}
