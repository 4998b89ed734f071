using InclusionMap.Data.Import;

namespace InclusionMap.Data.Sources;

/// <summary>How a sync runs.</summary>
public sealed record SyncOptions
{
    /// <summary>
    /// Wait for a sync running elsewhere (the command line); false: give up at once (the scheduler's next round retries).
    /// </summary>
    public bool Wait { get; init; } = true;
    /// <summary>Apply a complete file whatever share of its records it retires (a person has looked at it).</summary>
    public bool AcceptRetirements { get; init; }
    /// <summary>Where relative paths of local sources are read, and the territory files named when communes are missing.</summary>
    public string? DataDirectory { get; init; }
    /// <summary>The download limits (the same as <c>import URL</c>'s).</summary>
    public DownloadOptions Download { get; init; } = new();
}
