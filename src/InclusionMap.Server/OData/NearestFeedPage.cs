using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using InclusionMap.Core.Places;
using InclusionMap.Data.Sites;
using Microsoft.OData.Edm;

namespace InclusionMap.Server.OData;

/// <summary>
/// The OData request partner maps and widgets send most, read without MVC, the OData query pipeline and its serializer:
/// the sites nearest to a point, some plain fields, one page.
/// <code>
/// /odata/Sites?$select=Id,Nom,Latitude,Longitude&amp;$top=10&amp;$orderby=geo.distance(Location,geography'SRID=4326;POINT(2.35 48.85)')
///   [&amp;$filter=geo.distance(Location,geography'SRID=4326;POINT(2.35 48.85)') le 5000]
/// </code>
/// It reads these arguments into a <see cref="SiteFilter"/>, asks <see cref="SiteQuery"/> (the same question GraphQL
/// asks), and writes the JSON the general path writes (minimal metadata, properties in the model's order, nulls
/// written), field by field from the registry. The general path costs several times the SQL for this page (MVC's
/// action pipeline, the query options' expression trees, EF Core, the OData serializer: see docs/benchmarks.md).
/// Any other request is left to the general path, which also reports every error: another query option, a field that
/// is not of a plain kind, a point or radius out of range, an Accept, Prefer or OData-MaxVersion header.
/// </summary>
internal sealed partial class NearestFeedPage(IEdmModel edm, SiteQuery sites)
{
    private const string SetName = "Sites";
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The fields this page writes as the OData serializer does, by their EDM name: the plain kinds.</summary>
    private static readonly FrozenDictionary<string, (SiteField Field, Action<Utf8JsonWriter, object> Write)> Writers = SiteFields.All
        .Select(f => (Field: f, Write: WriterOf(f)))
        .Where(w => w.Write is not null)
        .ToFrozenDictionary(w => w.Field.Name, w => (w.Field, w.Write!), StringComparer.Ordinal);

    /// <summary>The EDM's order of the site's properties: the general path writes them in that order, whatever $select says.</summary>
    private readonly string[] _modelOrder =
        [.. edm.EntityContainer.FindEntitySet(SetName).EntityType.StructuralProperties().Select(p => p.Name)];

    private static Action<Utf8JsonWriter, object>? WriterOf(SiteField field) => field.Kind switch
    {
        SiteFieldKind.Id => (w, v) => w.WriteNumberValue((long)v),
        SiteFieldKind.Text => (w, v) => w.WriteStringValue((string)v),
        SiteFieldKind.Number => (w, v) => w.WriteNumberValue((double)v),
        _ => null,
    };

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$")]
    private static partial Regex SelectList();

    private const string Distance =
        @"geo\.distance\(\s*Location\s*,\s*geography'SRID=4326;POINT\(\s*"
        + @"(?<lon>-?\d{1,3}(\.\d{1,17})?)\s+(?<lat>-?\d{1,2}(\.\d{1,17})?)\s*\)'\s*\)";

    [GeneratedRegex(@"^\s*" + Distance + @"(\s+asc)?\s*$")]
    private static partial Regex NearestOrder();

    [GeneratedRegex(@"^\s*" + Distance + @"\s+le\s+(?<r>\d{1,7}(\.\d{1,6})?)\s*$")]
    private static partial Regex WithinFilter();

    /// <summary>Answers the request when it is a nearest page this class reads; false leaves it to the general path.</summary>
    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || request.Path.Value != "/" + ODataApi.RoutePrefix + "/" + SetName
            || !PlainJsonAsked(request.Headers))
        {
            return false;
        }
        string? select = null, top = null, orderBy = null, filter = null;
        foreach (var (key, values) in request.Query)
        {
            if (values.Count != 1) return false;
            switch (key)
            {
                case "$select": select = values[0]; break;
                case "$top": top = values[0]; break;
                case "$orderby": orderBy = values[0]; break;
                case "$filter": filter = values[0]; break;
                default: return false;
            }
        }
        if (select is null || !SelectList().IsMatch(select) || top is null || orderBy is null) return false;
        if (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > sites.Limits.MaxPageSize)
            return false;
        if (NearestOrder().Match(orderBy) is not { Success: true } order || !TryPoint(order, out var lon, out var lat)) return false;
        double? radius = null;
        if (filter is not null)
        {
            // The radius around the very point of the order (the general path checks and explains anything else).
            if (WithinFilter().Match(filter) is not { Success: true } within || !TryPoint(within, out var filterLon, out var filterLat)
                || filterLon != lon || filterLat != lat) return false;
            var r = double.Parse(within.Groups["r"].Value, CultureInfo.InvariantCulture);
            if (r is <= 0 || r > sites.Limits.MaxRadiusMeters) return false;
            radius = r;
        }
        var names = select.Split(',');
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length || !names.All(Writers.ContainsKey)) return false;
        var fields = _modelOrder.Where(names.Contains).Select(name => Writers[name]).ToList();

        var page = await sites.PageAsync(new SiteFilter { Near = new GeoPoint(lat, lon), RadiusMeters = radius }, n, null,
            [.. fields.Select(f => f.Field)], context.RequestAborted);
        var body = new ArrayBufferWriter<byte>(256 + 128 * n);
        await using (var json = new Utf8JsonWriter(body, Json))
        {
            json.WriteStartObject();
            json.WriteString("@odata.context",
                $"{request.Scheme}://{request.Host}{request.PathBase}/{ODataApi.RoutePrefix}/$metadata#{SetName}({select})");
            json.WriteStartArray("value");
            foreach (var hit in page.Hits)
            {
                json.WriteStartObject();
                foreach (var (field, write) in fields)
                {
                    json.WritePropertyName(field.Name);
                    if (field.Get(hit.Site) is { } value) write(json, value);
                    else json.WriteNullValue();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";
        response.Headers["OData-Version"] = "4.0";
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
        return true;
    }

    /// <summary>No Accept header, or one asking for plain JSON with minimal metadata; no Prefer or OData-MaxVersion.</summary>
    private static bool PlainJsonAsked(IHeaderDictionary headers)
    {
        if (headers.ContainsKey("Prefer") || headers.ContainsKey("OData-MaxVersion")) return false;
        foreach (var accept in headers.Accept)
            foreach (var range in (accept ?? "").Split(','))
            {
                var parts = range.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) continue;
                if (parts[0] is not ("*/*" or "application/json" or "application/*")) return false;
                if (parts.Skip(1).Any(p => !p.Equals("odata.metadata=minimal", StringComparison.OrdinalIgnoreCase)
                    && !p.StartsWith("q=", StringComparison.Ordinal)))
                {
                    return false;
                }
            }
        return true;
    }

    private static bool TryPoint(Match match, out double lon, out double lat)
    {
        lon = double.Parse(match.Groups["lon"].Value, CultureInfo.InvariantCulture);
        lat = double.Parse(match.Groups["lat"].Value, CultureInfo.InvariantCulture);
        return lon is >= -180 and <= 180 && lat is >= -90 and <= 90;
    }
}
