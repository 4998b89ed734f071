namespace InclusionMap.Data.History;

/// <summary>
/// One change of a site, kept for ever (insert-only): a field's old and new value, or an event without a field (the
/// site created, merged into another, split off). Written in the same transaction as the change itself.
/// </summary>
public class SiteChange
{
    public long Id { get; set; }
    /// <summary>The site changed; kept after a merge deletes the site, so there is no foreign key.</summary>
    public long SiteId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>
    /// Who: <c>sync:NAME</c> for a scheduled or asked-for sync of a source, <c>import</c>, <c>dedup</c>, later a user id.
    /// </summary>
    public string Actor { get; set; } = "";
    /// <summary>Why: one of <see cref="ChangeCause"/>'s values.</summary>
    public string Cause { get; set; } = "";
    /// <summary>The dataset whose record caused it, when one did.</summary>
    public string? Dataset { get; set; }
    /// <summary>The GraphQL name of the field changed (<c>nom</c>, <c>retiredAt</c>…); null for an event.</summary>
    public string? Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    /// <summary>The import run that made the change (its report explains it).</summary>
    public long? RunId { get; set; }
}
