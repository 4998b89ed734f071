using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Moderation;

/// <summary>Size limits of what residents and editors send, and the life of a claim link (section
/// <c>InclusionMap:Moderation</c>).</summary>
public sealed class ModerationOptions
{
    public const string Section = "InclusionMap:Moderation";

    /// <summary>Characters of a report's or a suggestion's free text, and of a coordinator's answer.</summary>
    [Range(100, 20_000)]
    public int MaxMessageLength { get; set; } = 2_000;

    /// <summary>Characters of one text field of a place (a name, an address, hours…), but the detailed presentation.</summary>
    [Range(100, 10_000)]
    public int MaxFieldLength { get; set; } = 500;

    /// <summary>Characters of the detailed presentation of a place.</summary>
    [Range(500, 100_000)]
    public int MaxPresentationLength { get; set; } = 5_000;

    /// <summary>Values of one list field (e-mails, websites, services…).</summary>
    [Range(1, 200)]
    public int MaxListValues { get; set; } = 30;

    /// <summary>Items of each kind a queue answers at most (reports, suggestions, conflicts).</summary>
    [Range(10, 1_000)]
    public int MaxQueueItems { get; set; } = 200;

    /// <summary>How long a link that lets a structure claim its place works.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan ClaimLinkLifetime { get; set; } = TimeSpan.FromDays(3);
}
