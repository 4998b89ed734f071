namespace InclusionMap.Data.Moderation;

/// <summary>
/// A place a resident proposed, validated like an imported record (schema v1.0.2) and waiting in the queue of its
/// département. Accepting it creates the site, whose provenance is InclusionMap (dataset <c>inclusionmap</c>).
/// </summary>
public class Suggestion
{
    public long Id { get; set; }

    /// <summary>The proposed record in the national schema's interchange form (field name → text), validated.</summary>
    public Dictionary<string, string?> Record { get; set; } = [];

    public string? Message { get; set; }

    /// <summary>The address to answer to, if one was left; private, erased once the suggestion is resolved.</summary>
    public string? Email { get; set; }

    /// <summary>The commune (COG) of the proposed place, found from its code, postcode and name or its position.</summary>
    public string? CommuneCode { get; set; }

    public string? DepartementCode { get; set; }
    public SuggestionStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ResolvedBy { get; set; }
    public string? Answer { get; set; }

    /// <summary>The site created when it was accepted.</summary>
    public long? SiteId { get; set; }
}
