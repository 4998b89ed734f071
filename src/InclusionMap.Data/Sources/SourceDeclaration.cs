namespace InclusionMap.Data.Sources;

/// <summary>A source as <c>data/sources.json</c> declares it.</summary>
public sealed record SourceDeclaration(string Name, string Url, string Format, string Dataset, string? Schedule, string? Seed,
    bool Complete, string? Owner, string? Licence, string? Attribution, bool UrlConfirmed);
