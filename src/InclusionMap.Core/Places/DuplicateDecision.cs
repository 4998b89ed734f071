namespace InclusionMap.Core.Places;

/// <summary>What the rule decided for a pair, with the scores that explain it.</summary>
/// <param name="Same">True when the two records are the same place.</param>
/// <param name="NameScore">Dice similarity of the distinctive words of the names (0..1).</param>
/// <param name="NameContainment">Share of the shorter name's distinctive words found in the other (0..1).</param>
/// <param name="Address">How the addresses compare.</param>
/// <param name="KindA">The kind of organisation the first name designates (france-services, commune, community…).</param>
/// <param name="KindB">The kind of the second.</param>
/// <param name="Reason">One readable line: the test that decided.</param>
public sealed record DuplicateDecision(
    bool Same, double NameScore, double NameContainment, AddressMatch Address, string KindA, string KindB, string Reason);
