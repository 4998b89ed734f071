using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace InclusionMap.Data.Sites;

/// <summary>
/// Opaque keyset cursors: <c>i:{id}</c> for the id order, <c>d:{lat},{lon}:{distance}:{id}</c> for the distance order.
/// A distance cursor carries its query point: using it with another point is refused rather than silently wrong.
/// </summary>
public readonly record struct SiteCursor(double? Distance, long Id)
{
    public static string Encode(GeoPoint? near, double? distance, long id)
    {
        var text = near is { } p && distance is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"d:{p.Latitude:R},{p.Longitude:R}:{d:R}:{id}")
            : string.Create(CultureInfo.InvariantCulture, $"i:{id}");
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <exception cref="SiteQueryException">BAD_CURSOR: not a cursor of this API, or of another search.</exception>
    public static SiteCursor Decode(string cursor, GeoPoint? near)
    {
        string text;
        try
        {
            if (cursor.Length > 200) throw new FormatException();
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new SiteQueryException("BAD_CURSOR", "after is not a cursor of this API.");
        }
        var parts = text.Split(':');
        if (near is null && parts is ["i", var id] && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return new SiteCursor(null, i);
        if (near is { } p && parts is ["d", var point, var dist, var id2]
            && double.TryParse(dist, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d >= 0
            && long.TryParse(id2, NumberStyles.None, CultureInfo.InvariantCulture, out var i2))
        {
            if (point != string.Create(CultureInfo.InvariantCulture, $"{p.Latitude:R},{p.Longitude:R}"))
                throw new SiteQueryException("BAD_CURSOR", "this cursor belongs to a search around another point.");
            return new SiteCursor(d, i2);
        }
        throw new SiteQueryException("BAD_CURSOR", parts is ["d", ..] or ["i", ..]
            ? near is null
                ? "this cursor belongs to a search ordered by distance: pass the same near."
                : "this cursor does not belong to a search ordered by distance."
            : "after is not a cursor of this API.");
    }
}
