using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Places;

/// <summary>The place pages' settings (configuration section <c>InclusionMap:Pages</c>).</summary>
public sealed class PlacePagesOptions
{
    public const string Section = "InclusionMap:Pages";

    /// <summary>
    /// Addresses in one sitemap file. The sitemaps protocol allows 50,000: a larger catalogue gets a sitemap index at
    /// <c>/sitemap.xml</c> pointing to <c>/sitemap-1.xml</c>, <c>/sitemap-2.xml</c>…
    /// </summary>
    [Range(10, 50_000)]
    public int SitemapSize { get; set; } = 50_000;
}
