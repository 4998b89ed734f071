namespace InclusionMap.Bench;

/// <summary>One catalogue size under test: its database and whether it is a scale-up of the real catalogue.</summary>
public sealed record BenchDatabase(string Name, string Label, long Sites, bool ScaledUp);
