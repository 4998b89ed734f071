namespace InclusionMap.Data.Sites;

/// <summary>A question the catalogue refuses, with a stable code of the API's vocabulary and a readable reason.</summary>
public sealed class SiteQueryException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
