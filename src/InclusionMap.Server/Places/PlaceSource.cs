namespace InclusionMap.Server.Places;

/// <summary>One source record of a place: the dataset, the producer's update date and when we read it.</summary>
public sealed record PlaceSource(string Dataset, DateOnly DateMaj, DateTimeOffset ImportedAt);
