namespace InclusionMap.Server.GraphQL;

/// <summary>One vocabulary value with its official label.</summary>
public sealed record VocabularyEntry(string Value, string Label);
