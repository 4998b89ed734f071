namespace InclusionMap.Data.Import;

/// <summary>
/// What an HTTP server said identifies a version of a file: its <c>ETag</c> and <c>Last-Modified</c> (either may be absent).
/// </summary>
public sealed record HttpValidators(string? ETag, string? LastModified);
