namespace InclusionMap.Data.Sources;

/// <summary>What the last sync of a source found.</summary>
public static class SourceStatus
{
    /// <summary>Never synced (the seed may have loaded its local copy).</summary>
    public const string Never = "never";
    /// <summary>A changed file was applied.</summary>
    public const string Applied = "applied";
    /// <summary>The file had not changed: nothing written.</summary>
    public const string Unchanged = "unchanged";
    /// <summary>The file could not be downloaded or read; nothing changed; tried again at the next scheduled time.</summary>
    public const string Unreachable = "unreachable";
    /// <summary>The file was refused (unreadable, or retiring too many records): nothing changed, a person should look.</summary>
    public const string Flagged = "flagged";
}
