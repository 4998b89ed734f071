namespace InclusionMap.Data.Import;

/// <summary>
/// The limits of a download (<c>inclusionmap import URL</c>), bound from <see cref="SectionName"/>: in the environment
/// <c>InclusionMap__Import__MaxDownloadBytes</c>, <c>InclusionMap__Import__DownloadTimeout</c> (e.g. <c>00:02:00</c>),
/// <c>InclusionMap__Import__DownloadDirectory</c>. Every error message that hits a limit names its setting.
/// </summary>
public sealed class DownloadOptions
{
    public const string SectionName = "InclusionMap:Import";

    /// <summary>The most bytes one download may bring, counted as they arrive; a larger Content-Length is refused at once.</summary>
    public long MaxDownloadBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>One deadline for the whole download: connection, redirects, headers and body.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where each download gets its private directory; null: the system's (<c>TMPDIR</c>, else <c>/tmp</c>).</summary>
    public string? DownloadDirectory { get; set; }

    /// <summary>The full name of a setting, as an error message shows it (<c>InclusionMap:Import:MaxDownloadBytes</c>).</summary>
    public static string Setting(string property) => $"{SectionName}:{property}";

    /// <summary>Refuses values no download could work with; the message names the setting.</summary>
    public DownloadOptions Validate()
    {
        if (MaxDownloadBytes <= 0) throw new ImportException($"{Setting(nameof(MaxDownloadBytes))} must be a positive number of bytes.");
        if (DownloadTimeout <= TimeSpan.Zero) throw new ImportException($"{Setting(nameof(DownloadTimeout))} must be a positive duration.");
        if (DownloadDirectory is { } directory && !Directory.Exists(directory))
            throw new ImportException($"{Setting(nameof(DownloadDirectory))}: no directory {directory}.");
        return this;
    }
}
