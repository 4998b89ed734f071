using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.Moderation;

/// <summary>What a coordinator has to look at: the départements it covers (null: every one, for an admin) and their open items.</summary>
public sealed record ModerationQueue(IReadOnlyList<string>? Departements, IReadOnlyList<QueueReport> Reports,
    IReadOnlyList<Suggestion> Suggestions, IReadOnlyList<QueueConflict> Conflicts);
