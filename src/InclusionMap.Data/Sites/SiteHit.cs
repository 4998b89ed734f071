using InclusionMap.Core.Places;

namespace InclusionMap.Data.Sites;

/// <summary>A site of a result page (the columns asked for), with its distance to the query point when there is one.</summary>
public sealed record SiteHit(Site Site, double? DistanceMeters, GeoPoint? Near)
{
    /// <summary>The keyset cursor of this site, encoded when asked for: most pages are read without cursors.</summary>
    public string Cursor => field ??= SiteCursor.Encode(Near, DistanceMeters, Site.Id);
}
