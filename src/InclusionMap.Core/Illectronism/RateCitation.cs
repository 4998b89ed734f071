namespace InclusionMap.Core.Illectronism;

/// <summary>One published figure or stated assumption of the model, with where it was read.</summary>
public sealed record RateCitation(
    string Key, double Value, string Year, string Scope, string Role, string Publication, string Url, string Note);
