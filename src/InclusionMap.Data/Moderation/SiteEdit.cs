namespace InclusionMap.Data.Moderation;

/// <summary>
/// One field of a place set by a person (a coordinator or the place's structure). While <see cref="SiteEditStatus.Active"/>
/// it wins over the sources: every write run puts it back after rebuilding the place from its records
/// (<see cref="SiteEdits.ApplyAsync"/>), until a source publishes the record with a <c>date_maj</c> newer than both the
/// edit's day and the <c>date_maj</c> it had then; the edit then becomes a <see cref="SiteEditStatus.Conflict"/> that the
/// coordinators' queue shows with both values.
/// </summary>
public class SiteEdit
{
    public long Id { get; set; }
    public long SiteId { get; set; }

    /// <summary>The field's GraphQL name (<c>horaires</c>, <c>location</c>…), as in the site's history.</summary>
    public string Field { get; set; } = "";

    /// <summary>The value set, in the history's text form (lists joined with <c>|</c>, a position as WKT); null clears it.</summary>
    public string? Value { get; set; }

    /// <summary>The newest <c>date_maj</c> of the place's source records when it was edited.</summary>
    public DateOnly? BaseDateMaj { get; set; }

    public DateTimeOffset EditedAt { get; set; }
    public Guid? AccountId { get; set; }

    /// <summary>Who, as the history names them (<c>account:GUID</c>).</summary>
    public string Actor { get; set; } = "";

    public SiteEditStatus Status { get; set; }

    /// <summary>In a conflict: the value the newer source record gives.</summary>
    public string? SourceValue { get; set; }

    public DateTimeOffset? ConflictAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ResolvedBy { get; set; }
}
