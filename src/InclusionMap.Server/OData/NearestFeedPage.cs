using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.OData.Edm;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Server.OData;

/// <summary>
/// The OData request partner maps and widgets send most, answered without MVC, the OData query pipeline and its
/// serializer: the sites nearest to a point, some plain columns, one page.
/// <code>
/// /odata/Sites?$select=Id,Nom,Latitude,Longitude&amp;$top=10&amp;$orderby=geo.distance(Location,geography'SRID=4326;POINT(2.35 48.85)')
///   [&amp;$filter=geo.distance(Location,geography'SRID=4326;POINT(2.35 48.85)') le 5000]
/// </code>
/// It sends the statement the general path sends for that query, without the distance it computes and drops
/// (<c>SELECT s.id, s.nom, … FROM sites AS s WHERE NOT (s.synthetic) [AND ST_DWithin(s.location, $1, $2, FALSE)]
/// ORDER BY s.location &lt;-&gt; $1 LIMIT n</c>: the GiST index walked in distance order), and writes the JSON the general
/// path writes (minimal metadata, properties in the model's order, nulls written). The general path took 1.5–3 ms more
/// than the SQL floor for this page (MVC's action pipeline, the query options' expression trees and EF Core's query
/// cache, the OData serializer), four to seven times the floor.
/// Any other request is left to the general path, which also reports every error: another query option, a property that
/// is not a plain scalar column, a point or radius out of range, an Accept, Prefer or OData-MaxVersion header.
/// </summary>
internal sealed partial class NearestFeedPage(IEdmModel edm, IModel feedModel, NpgsqlDataSource dataSource, bool includeSynthetic)
{
    private const string SetName = "Sites";
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<(string Select, bool Radius), Plan?> _plans = new();

    private enum Kind { String, Int64, Int32, Double, Boolean }

    private sealed record Column(string Name, Kind Kind);

    /// <summary>The SQL of one $select (columns in the model's order) without its LIMIT, and how to write each column.</summary>
    private sealed record Plan(string Sql, Column[] Columns);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$")]
    private static partial Regex SelectList();

    private const string Distance = @"geo\.distance\(\s*Location\s*,\s*geography'SRID=4326;POINT\(\s*(?<lon>-?\d{1,3}(\.\d{1,17})?)\s+(?<lat>-?\d{1,2}(\.\d{1,17})?)\s*\)'\s*\)";

    [GeneratedRegex(@"^\s*" + Distance + @"(\s+asc)?\s*$")]
    private static partial Regex NearestOrder();

    [GeneratedRegex(@"^\s*" + Distance + @"\s+le\s+(?<r>\d{1,7}(\.\d{1,6})?)\s*$")]
    private static partial Regex WithinFilter();

    /// <summary>Answers the request when it is a nearest page this class serves; false leaves it to the general path.</summary>
    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || request.Path.Value != "/" + ODataApi.RoutePrefix + "/" + SetName || !PlainJsonAsked(request.Headers)) return false;
        var query = request.Query;
        string? select = null, top = null, orderBy = null, filter = null;
        foreach (var (key, values) in query)
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
        if (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > FeedQuery.PageSize) return false;
        if (NearestOrder().Match(orderBy) is not { Success: true } order || !TryPoint(order, out var lon, out var lat)) return false;
        double? radius = null;
        if (filter is not null)
        {
            // The radius around the very point of the order (the general path checks and explains anything else).
            if (WithinFilter().Match(filter) is not { Success: true } within || !TryPoint(within, out var filterLon, out var filterLat)
                || filterLon != lon || filterLat != lat) return false;
            var r = double.Parse(within.Groups["r"].Value, CultureInfo.InvariantCulture);
            if (r > GeoTranslation.MaxRadiusMeters) return false;
            radius = r;
        }
        if (_plans.Count > 1_000) _plans.Clear();
        if (_plans.GetOrAdd((select, radius is not null), key => Build(key.Select, key.Radius)) is not { } plan) return false;

        var body = new ArrayBufferWriter<byte>(256 + 128 * n);
        await using (var json = new Utf8JsonWriter(body, Json))
        {
            json.WriteStartObject();
            json.WriteString("@odata.context", $"{request.Scheme}://{request.Host}{request.PathBase}/{ODataApi.RoutePrefix}/$metadata#{SetName}({select})");
            json.WriteStartArray("value");
            await using (var command = dataSource.CreateCommand(plan.Sql + n.ToString(CultureInfo.InvariantCulture)))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = new Point(lon, lat) { SRID = 4326 }, NpgsqlDbType = NpgsqlDbType.Geography });
                if (radius is { } within) command.Parameters.Add(new NpgsqlParameter { Value = within });
                await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
                while (await reader.ReadAsync(context.RequestAborted))
                {
                    json.WriteStartObject();
                    for (var i = 0; i < plan.Columns.Length; i++)
                    {
                        var column = plan.Columns[i];
                        json.WritePropertyName(column.Name);
                        if (reader.IsDBNull(i)) json.WriteNullValue();
                        else
                        {
                            switch (column.Kind)
                            {
                                case Kind.String: json.WriteStringValue(reader.GetString(i)); break;
                                case Kind.Int64: json.WriteNumberValue(reader.GetInt64(i)); break;
                                case Kind.Int32: json.WriteNumberValue(reader.GetInt32(i)); break;
                                case Kind.Double: json.WriteNumberValue(reader.GetDouble(i)); break;
                                case Kind.Boolean: json.WriteBooleanValue(reader.GetBoolean(i)); break;
                            }
                        }
                    }
                    json.WriteEndObject();
                }
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
                if (parts.Skip(1).Any(p => !p.Equals("odata.metadata=minimal", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("q=", StringComparison.Ordinal))) return false;
            }
        return true;
    }

    private static bool TryPoint(Match match, out double lon, out double lat)
    {
        lon = double.Parse(match.Groups["lon"].Value, CultureInfo.InvariantCulture);
        lat = double.Parse(match.Groups["lat"].Value, CultureInfo.InvariantCulture);
        return lon is >= -180 and <= 180 && lat is >= -90 and <= 90;
    }

    /// <summary>The plan of a $select, or null when a name is not a plain scalar column of the sites table (or repeats).</summary>
    private Plan? Build(string select, bool radius)
    {
        var names = select.Split(',');
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) return null;
        var edmSite = edm.EntityContainer.FindEntitySet(SetName).EntityType;
        var site = feedModel.FindEntityType(typeof(FeedSite))!;
        var table = StoreObjectIdentifier.Table(site.GetTableName()!, site.GetSchema());
        var columns = new List<Column>();
        var sql = new StringBuilder("SELECT ");
        // The general path writes the properties in the model's order, whatever the order of $select.
        foreach (var edmProperty in edmSite.StructuralProperties())
        {
            if (!names.Contains(edmProperty.Name, StringComparer.Ordinal)) continue;
            if (site.FindProperty(edmProperty.Name) is not { } property || property.GetValueConverter() is not null) return null;
            Kind? kind = (Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) switch
            {
                var t when t == typeof(string) => Kind.String,
                var t when t == typeof(long) => Kind.Int64,
                var t when t == typeof(int) => Kind.Int32,
                var t when t == typeof(double) => Kind.Double,
                var t when t == typeof(bool) => Kind.Boolean,
                _ => null,
            };
            if (kind is null || property.GetColumnName(table) is not { } name) return null;
            sql.Append(columns.Count == 0 ? "" : ", ").Append("s.").Append(name);
            columns.Add(new Column(edmProperty.Name, kind.Value));
        }
        if (columns.Count != names.Length) return null;
        var location = "s." + site.FindProperty(nameof(FeedSite.LocationPoint))!.GetColumnName(table);
        var synthetic = "s." + site.FindProperty(nameof(FeedSite.Synthetic))!.GetColumnName(table);
        var conditions = new List<string>();
        if (!includeSynthetic) conditions.Add($"NOT ({synthetic})");
        if (radius) conditions.Add($"ST_DWithin({location}, $1, $2, FALSE)");
        sql.Append(" FROM ").Append(table.Name).Append(" AS s")
            .Append(conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions))
            .Append(" ORDER BY ").Append(location).Append(" <-> $1 LIMIT ");
        return new Plan(sql.ToString(), [.. columns]);
    }
}
