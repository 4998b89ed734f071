using System.Globalization;
using InclusionMap.Data.Analysis;
using NetTopologySuite.Geometries;
using Npgsql;
using SkiaSharp;

namespace InclusionMap.Server.Coverage;

/// <summary>
/// The printable coverage map of a département: A4 portrait at 150 dpi (1240 × 1754 px), people in need per commune as a
/// choropleth, communes far from help outlined, the matching sites, the suggested sites, a legend, a scale bar, a title
/// and the data sources. Drawn with SkiaSharp from the analysis and the commune polygons.
/// </summary>
public static class CoverageMap
{
    public const int Width = 1240;
    public const int Height = 1754;

    /// <summary>Classes of people in need per commune, shared with the web client's choropleth.</summary>
    public static readonly (double From, SKColor Color)[] Classes =
    [
        (0, SKColor.Parse("#f2f0f7")), (50, SKColor.Parse("#cbc9e2")), (200, SKColor.Parse("#9e9ac8")), (1000, SKColor.Parse("#756bb1")),
        (5000, SKColor.Parse("#54278f")),
    ];

    public static readonly SKColor SiteColor = SKColor.Parse("#0b6e4f");
    public static readonly SKColor SuggestionColor = SKColor.Parse("#6a1b9a");
    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// Renders the map of an analysis (its communes' polygons are read here); <paramref name="title"/> names the territory.
    /// </summary>
    public static async Task<byte[]> RenderAsync(NpgsqlDataSource db, CoverageResult result, string title, CancellationToken ct)
    {
        var codes = result.Communes.Select(c => c.Code).ToArray();
        var polygons = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        await using (var command = db.CreateCommand(
            "SELECT code, ST_SimplifyPreserveTopology(geometry, 0.0005) FROM communes WHERE code = ANY($1) AND geometry IS NOT NULL"))
        {
            command.Parameters.Add(new() { Value = codes });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) polygons[reader.GetString(0)] = reader.GetFieldValue<Geometry>(1);
        }
        return Render(result, title, polygons, result.SiteLocations);
    }

    /// <summary>Draws the map from loaded geometries (longitude/latitude, EPSG:4326).</summary>
    public static byte[] Render(
        CoverageResult result, string title, IReadOnlyDictionary<string, Geometry> polygons, IReadOnlyList<Point> sites)
    {
        var envelope = new Envelope();
        foreach (var g in polygons.Values) envelope.ExpandToInclude(g.EnvelopeInternal);
        if (envelope.IsNull) foreach (var c in result.Communes) if (c.Centre is { } p) envelope.ExpandToInclude(p.Coordinate);
        if (envelope.IsNull) envelope = new Envelope(-5, 9, 41, 51);

        // Equirectangular, scaled by cos(latitude) at the centre: true shapes at a département's size.
        var mapArea = new SKRect(60, 170, Width - 60, Height - 430);
        var kx = Math.Cos(envelope.Centre.Y * Math.PI / 180);
        var scale = Math.Min(mapArea.Width / Math.Max(envelope.Width * kx, 1e-6), mapArea.Height / Math.Max(envelope.Height, 1e-6));
        var offsetX = mapArea.Left + (mapArea.Width - envelope.Width * kx * scale) / 2;
        var offsetY = mapArea.Top + (mapArea.Height - envelope.Height * scale) / 2;
        SKPoint Project(double lon, double lat) =>
            new((float)(offsetX + (lon - envelope.MinX) * kx * scale), (float)(offsetY + (envelope.MaxY - lat) * scale));

        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? typeface;
        using var titleFont = new SKFont(bold, 40);
        using var textFont = new SKFont(typeface, 24);
        using var smallFont = new SKFont(typeface, 20);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grey = new SKPaint { Color = SKColor.Parse("#444444"), IsAntialias = true };

        var s = result.Summary;
        var distanceKm = result.Request.ThresholdMeters / 1000;
        canvas.DrawText(title, 60, 80, SKTextAlign.Left, titleFont, ink);
        canvas.DrawText(string.Create(Fr, $"Personnes en difficulté avec le numérique (estimation) : {s.PeopleInNeed:N0}, "
            + $"dont {s.PeopleInNeedBeyond:N0} ({s.ShareBeyond:P1})"), 60, 122, SKTextAlign.Left, textFont, grey);
        canvas.DrawText(string.Create(Fr, $"à plus de {distanceKm:0.#} km d'un lieu d'aide. {s.Sites:N0} lieux, "
            + $"distance médiane {s.MedianDistanceMeters / 1000:0.0} km."), 60, 152, SKTextAlign.Left, textFont, grey);

        // Communes, filled by people in need; the ones far from help outlined.
        using var fill = new SKPaint { Style = SKPaintStyle.Fill, IsAntialias = true };
        using var border = new SKPaint { Style = SKPaintStyle.Stroke, Color = SKColors.White, StrokeWidth = 1, IsAntialias = true };
        using var gapBorder = new SKPaint { Style = SKPaintStyle.Stroke, Color = SKColors.Black, StrokeWidth = 3, IsAntialias = true };
        var byCode = result.Communes.ToDictionary(c => c.Code, StringComparer.Ordinal);
        foreach (var (code, geometry) in polygons)
        {
            using var path = ToPath(geometry, Project);
            fill.Color = ClassColor(byCode.TryGetValue(code, out var c) ? c.PeopleInNeed : 0);
            canvas.DrawPath(path, fill);
            canvas.DrawPath(path, border);
        }
        foreach (var (code, geometry) in polygons)
        {
            if (!byCode.TryGetValue(code, out var c) || !c.Beyond) continue;
            using var path = ToPath(geometry, Project);
            canvas.DrawPath(path, gapBorder);
        }

        // Sites and suggestions.
        using var siteFill = new SKPaint { Color = SiteColor, IsAntialias = true };
        using var halo = new SKPaint { Color = SKColors.White, IsAntialias = true };
        foreach (var site in sites)
        {
            var p = Project(site.X, site.Y);
            canvas.DrawCircle(p, 8, halo);
            canvas.DrawCircle(p, 6, siteFill);
        }
        using var ring = new SKPaint { Color = SuggestionColor, Style = SKPaintStyle.Stroke, StrokeWidth = 5, IsAntialias = true };
        using var rankFont = new SKFont(bold, 20);
        using var rankInk = new SKPaint { Color = SuggestionColor, IsAntialias = true };
        foreach (var suggestion in result.Suggestions)
        {
            var p = Project(suggestion.Location.X, suggestion.Location.Y);
            canvas.DrawCircle(p, 16, halo);
            canvas.DrawCircle(p, 16, ring);
            canvas.DrawText(suggestion.Rank.ToString(CultureInfo.InvariantCulture), p.X, p.Y + 7, SKTextAlign.Center, rankFont, rankInk);
        }

        // Scale bar: a round length of about a fifth of the map's width.
        var metresPerPixel = 111_320 / scale;
        var target = mapArea.Width / 5 * metresPerPixel;
        var length = new[] { 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000 }.LastOrDefault(l => l <= target, 1_000);
        var barWidth = (float)(length / metresPerPixel);
        var barY = mapArea.Bottom + 40;
        using var bar = new SKPaint { Color = SKColors.Black, StrokeWidth = 4, IsAntialias = true };
        canvas.DrawLine(Width - 60 - barWidth, barY, Width - 60, barY, bar);
        canvas.DrawLine(Width - 60 - barWidth, barY - 10, Width - 60 - barWidth, barY + 4, bar);
        canvas.DrawLine(Width - 60, barY - 10, Width - 60, barY + 4, bar);
        canvas.DrawText($"{length / 1000} km", Width - 60 - barWidth / 2, barY - 16, SKTextAlign.Center, smallFont, ink);

        // Legend.
        var y = mapArea.Bottom + 40;
        canvas.DrawText("Personnes en difficulté avec le numérique par commune (estimation)", 60, y, SKTextAlign.Left, textFont, ink);
        y += 20;
        for (var i = 0; i < Classes.Length; i++)
        {
            fill.Color = Classes[i].Color;
            var box = new SKRect(60 + i * 200, y, 60 + i * 200 + 40, y + 30);
            canvas.DrawRect(box, fill);
            using var outline = new SKPaint { Style = SKPaintStyle.Stroke, Color = SKColor.Parse("#888888"), StrokeWidth = 1 };
            canvas.DrawRect(box, outline);
            var label = i + 1 < Classes.Length
                ? $"{Classes[i].From.ToString("N0", Fr)} à {Classes[i + 1].From.ToString("N0", Fr)}"
                : $"{Classes[i].From.ToString("N0", Fr)} et plus";
            canvas.DrawText(label, box.Right + 8, y + 23, SKTextAlign.Left, smallFont, ink);
        }
        y += 70;
        canvas.DrawCircle(80, y - 8, 8, halo);
        canvas.DrawCircle(80, y - 8, 6, siteFill);
        canvas.DrawText("Lieu d'aide au numérique", 100, y, SKTextAlign.Left, smallFont, ink);
        canvas.DrawCircle(420, y - 8, 14, ring);
        canvas.DrawText("Lieu suggéré (rang)", 445, y, SKTextAlign.Left, smallFont, ink);
        canvas.DrawRect(new SKRect(720, y - 24, 760, y + 6), gapBorder);
        canvas.DrawText(string.Create(Fr, $"Commune à plus de {distanceKm:0.#} km d'un lieu"), 772, y, SKTextAlign.Left, smallFont, ink);

        // Sources.
        y = Height - 110;
        canvas.DrawText("Sources : INSEE (populations légales, recensement 2017, enquêtes TIC 2019 et 2021) ; IGN ADMIN EXPRESS ;",
            60, y, SKTextAlign.Left, smallFont, grey);
        canvas.DrawText("ANCT, La Mednum et producteurs régionaux (lieux de médiation numérique). Estimation InclusionMap :",
            60, y + 28, SKTextAlign.Left, smallFont, grey);
        canvas.DrawText(string.Create(Fr, $"méthode dans docs/illectronism.md et docs/coverage.md. Distances à vol d'oiseau. "
            + $"Édité le {DateTime.UtcNow:d MMMM yyyy}."), 60, y + 56, SKTextAlign.Left, smallFont, grey);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static SKColor ClassColor(double peopleInNeed) => Classes.Last(c => peopleInNeed >= c.From).Color;

    private static SKPath ToPath(Geometry geometry, Func<double, double, SKPoint> project)
    {
        using var builder = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is not Polygon polygon) continue;
            foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
            {
                var coordinates = ring.Coordinates;
                builder.MoveTo(project(coordinates[0].X, coordinates[0].Y));
                for (var k = 1; k < coordinates.Length; k++) builder.LineTo(project(coordinates[k].X, coordinates[k].Y));
                builder.Close();
            }
        }
        return builder.Detach();
    }
}
