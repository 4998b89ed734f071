namespace InclusionMap.Data;

/// <summary>
/// Web-Mercator shapes for vector tiles. Commune polygons are simplified once per zoom band, with a tolerance of about
/// half a screen pixel at the band's most detailed zoom, so a tile stays small and neighbouring communes show no gaps.
/// Stored in the materialized view <c>commune_shapes (code, level, geom)</c>, refreshed when communes are imported.
/// </summary>
public static class TileShapes
{
    /// <summary>Zoom bands: level 0 for z ≤ 6, 1 for 7–8, 2 for 9–10, 3 (unsimplified) for z ≥ 11.</summary>
    public static int LevelForZoom(int zoom) => zoom switch { <= 6 => 0, <= 8 => 1, <= 10 => 2, _ => 3 };

    /// <summary>Half a 512-px screen pixel at the most detailed zoom of each band, in metres (Web Mercator at the equator).</summary>
    public static double Tolerance(int level) => level switch
    {
        0 => 40_075_016.7 / (1 << 6) / 512 / 2,
        1 => 40_075_016.7 / (1 << 8) / 512 / 2,
        2 => 40_075_016.7 / (1 << 10) / 512 / 2,
        _ => 0,
    };

    public const string RefreshSql = "REFRESH MATERIALIZED VIEW commune_shapes";
}
