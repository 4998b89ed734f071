namespace InclusionMap.Bench;

/// <summary>The answer of <see cref="LoopbackHttpClient"/>: status, media type and the whole (de-chunked) body.</summary>
public sealed record BenchResponse(int Status, string? ContentType, byte[] Body);
