using System.Globalization;
using InclusionMap.Core;
using InclusionMap.Core.OpeningHours;
using InclusionMap.Core.Places;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Data.Sites;

/// <summary>
/// Every question about sites, built in one place: nearest, radius, box, polygon, commune, département, vocabularies,
/// text and opening hours become one SQL statement on the <c>sites</c> table, sent through Npgsql on the read data
/// source; the rows are read into <see cref="Site"/> objects holding only the fields asked for (the registry,
/// <see cref="SiteFields"/>, names their columns). GraphQL, OData, tiles and the widget differ only in how they read
/// arguments and write answers. The rules are the same for all:
/// <list type="bullet">
/// <item>With <see cref="SiteFilter.Near"/>, sites come by great-circle distance on the sphere (the geography GiST KNN
/// operator <c>location &lt;-&gt; p</c>), ties by id; sites without a position are left out. Otherwise by id.</item>
/// <item>The SQL of a nearest page is <c>… WHERE s.location IS NOT NULL [AND ST_DWithin(s.location, $1, r, FALSE)] …
/// ORDER BY s.location &lt;-&gt; $1 LIMIT n</c>: only the nearest candidates are read from the index. A second sort key
/// would make PostgreSQL sort every matching site, so ties at equal distance are ordered by id here, and when they
/// straddle the end of the candidates, more are fetched (<see cref="NearestAsync"/>).</item>
/// <item>Pages are keyset-based (<see cref="SiteCursor"/>): paging never skips or repeats a site. The page size, the
/// radius and polygons are capped by <see cref="SiteSearchOptions"/>.</item>
/// <item>The <c>LIMIT</c> is a literal, so PostgreSQL keeps one prepared plan per page size.</item>
/// <item>Every statement is a read that runs once more on a fresh connection when its connection broke
/// (<see cref="ReadAsync"/>).</item>
/// <item>Retired sites (<c>retired_at</c> set: every source stopped listing them) are left out unless
/// <see cref="SiteFilter.IncludeRetired"/>; tiles and exports get the same rule through <see cref="AppendConditions"/>.</item>
/// </list>
/// </summary>
public sealed class SiteQuery(NpgsqlDataSource reads, IOptions<SiteSearchOptions> options, ReadRetry? retry = null)
{
    private readonly SiteSearchOptions _limits = options.Value;
    private readonly ReadRetry _retry = retry ?? new ReadRetry(reads);

    public SiteSearchOptions Limits => _limits;

    /// <summary>
    /// Nearest candidates fetched beyond the page the first time: the one that says whether a next page exists. Each
    /// more is a row every page pays for, while only pages whose last site shares its place with the next need a second query.
    /// </summary>
    internal const int SpareCandidates = 1;

    /// <summary>One page of sites after <paramref name="after"/>, reading <paramref name="fields"/> (null: every field).</summary>
    /// <exception cref="SiteQueryException">The question is refused (see <see cref="Validate"/>).</exception>
    public async Task<SitePage> PageAsync(SiteFilter filter, int first, string? after, IReadOnlyCollection<SiteField>? fields,
        CancellationToken ct)
    {
        Validate(filter, first);
        var cursor = after is null ? (SiteCursor?)null : SiteCursor.Decode(after, filter.Near);
        var columns = Columns(fields);
        if (filter.OpenAt is { } openAt) return await OpenAtPageAsync(filter, openAt, first, cursor, columns, ct);

        List<(Site Site, double? Distance)> rows;
        if (filter.Near is not null)
            rows = await NearestAsync(first, n => FetchAsync(PageSql(filter, columns, cursor, n), columns, withDistance: true, ct));
        else
            rows = (await FetchAsync(PageSql(filter, columns, cursor, first + 1), columns, withDistance: false, ct)).Select(r =>
                (r.Site, (double?)null)).ToList();
        var hits = rows.Take(first).Select(r => new SiteHit(r.Site, r.Distance, filter.Near)).ToList();
        return new SitePage(hits, rows.Count > first, cursor is not null, token => CountAsync(filter, token));
    }

    /// <summary>How many sites match <paramref name="filter"/> (opening hours included).</summary>
    public async Task<int> CountAsync(SiteFilter filter, CancellationToken ct)
    {
        if (filter.OpenAt is { } openAt)
            return (await OpenCandidatesAsync(filter, openAt, null, ct)).Count;
        var sql = new SqlStatement();
        sql.Text.Append("SELECT count(*) FROM sites AS s");
        Where(sql, filter);
        return await ReadAsync(sql, async (reader, token) =>
        {
            await reader.ReadAsync(token);
            return (int)reader.GetInt64(0);
        }, ct);
    }

    /// <summary>
    /// How many sites match <paramref name="filter"/> in each département, in one <c>GROUP BY</c> (sites without a
    /// département are left out). Opening hours are not evaluated here: <see cref="SiteFilter.OpenAt"/> is refused.
    /// </summary>
    public Task<Dictionary<string, int>> CountByDepartementAsync(SiteFilter filter, CancellationToken ct)
    {
        if (filter.OpenAt is not null) throw new SiteQueryException("BAD_USER_INPUT", "Counts by département do not evaluate openAt.");
        Validate(filter, 0);
        var sql = new SqlStatement();
        sql.Text.Append("SELECT s.departement_code, count(*) FROM sites AS s");
        Where(sql, filter);
        sql.And().Append("s.departement_code IS NOT NULL");
        sql.Text.Append(" GROUP BY s.departement_code");
        return ReadAsync(sql, async (reader, token) =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await reader.ReadAsync(token)) counts[reader.GetString(0)] = (int)reader.GetInt64(1);
            return counts;
        }, ct);
    }

    /// <summary>
    /// Every site matching <paramref name="filter"/>, by id, reading <paramref name="fields"/>, streamed (for lists of
    /// every site such as the sitemap). No page size: the caller reads as it writes.
    /// </summary>
    public async IAsyncEnumerable<Site> EveryAsync(SiteFilter filter, IReadOnlyCollection<SiteField> fields,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (filter.OpenAt is not null || filter.Near is not null)
            throw new SiteQueryException("BAD_USER_INPUT", "A list of every site is in id order, without openAt or near.");
        Validate(filter, 0);
        var columns = Columns(fields);
        var sql = new SqlStatement();
        sql.Text.Append("SELECT ").AppendJoin(", ", columns.Select(c => "s." + c.Column)).Append(" FROM sites AS s");
        Where(sql, filter);
        sql.Text.Append(" ORDER BY s.id");
        await using var command = sql.Command(reads);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return ReadSite(reader, columns);
    }

    /// <summary>
    /// Sites by id, in the order given, reading <paramref name="fields"/> (null: every field); unknown and retired ids are skipped.
    /// </summary>
    public Task<List<Site>> ByIdsAsync(IReadOnlyList<long> ids, IReadOnlyCollection<SiteField>? fields, CancellationToken ct) =>
        ByIdsAsync(ids, fields, includeRetired: false, ct);

    /// <summary>Sites by id, in the order given; retired ones only with <paramref name="includeRetired"/>.</summary>
    public async Task<List<Site>> ByIdsAsync(IReadOnlyList<long> ids, IReadOnlyCollection<SiteField>? fields, bool includeRetired,
        CancellationToken ct)
    {
        var columns = Columns(fields);
        var sql = new SqlStatement();
        sql.Text.Append("SELECT ").AppendJoin(", ", columns.Select(c => "s." + c.Column)).Append(" FROM sites AS s WHERE s.id = ANY(")
            .Append(sql.Parameter(ids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)).Append(')');
        sql.ConditionsOpen();
        Where(sql, new SiteFilter { IncludeRetired = includeRetired });
        var byId = (await FetchAsync(sql, columns, withDistance: false, ct)).ToDictionary(r => r.Site.Id, r => r.Site);
        return ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    /// <summary>
    /// Adds the conditions of <paramref name="filter"/> to a statement of another kind (a tile, an export), which has
    /// already opened its WHERE clause when <see cref="SqlStatement.ConditionsOpen"/> was called.
    /// </summary>
    public static void AppendConditions(SqlStatement sql, SiteFilter filter) => Where(sql, filter);

    /// <summary>Checks a filter and page size; throws <see cref="SiteQueryException"/> with a readable reason.</summary>
    public void Validate(SiteFilter filter, int first)
    {
        if (first < 0) throw new SiteQueryException("BAD_USER_INPUT", "first must be zero or more.");
        if (first > _limits.MaxPageSize)
            throw new SiteQueryException("PAGE_SIZE_EXCEEDED", $"At most {_limits.MaxPageSize} sites per page; page with the cursor.");
        if (filter.Near is { } p)
        {
            if (!(p.Latitude is >= -90 and <= 90)) throw new SiteQueryException("BAD_USER_INPUT",
                "near.latitude must be between -90 and 90.");
            if (!(p.Longitude is >= -180 and <= 180)) throw new SiteQueryException("BAD_USER_INPUT",
                "near.longitude must be between -180 and 180.");
        }
        if (filter.RadiusMeters is { } r)
        {
            if (filter.Near is null) throw new SiteQueryException("BAD_USER_INPUT", "radiusMeters needs near.");
            if (!(r > 0)) throw new SiteQueryException("BAD_USER_INPUT", "radiusMeters must be positive.");
            if (r > _limits.MaxRadiusMeters)
                throw new SiteQueryException("RADIUS_TOO_LARGE", string.Create(CultureInfo.InvariantCulture,
                    $"The radius is limited to {_limits.MaxRadiusMeters:0} m ({_limits.MaxRadiusMeters / 1000:0.#} km)."));
        }
        if (filter.BoundingBox is { } b)
        {
            if (!(b.South is >= -90 and <= 90) || !(b.North is >= -90 and <= 90) || !(b.West is >= -180 and <= 180)
                || !(b.East is >= -180 and <= 180))
                throw new SiteQueryException("BAD_USER_INPUT",
                    "bbox coordinates must be longitudes in [-180, 180] and latitudes in [-90, 90].");
            if (b.South >= b.North || b.West >= b.East)
                throw new SiteQueryException("BAD_USER_INPUT",
                    "bbox needs west < east and south < north (boxes across the antimeridian are not supported).");
        }
        if (filter.Within is { } w)
        {
            if (w is not (Polygon or MultiPolygon)) throw new SiteQueryException("INVALID_GEOMETRY",
                "within must be a Polygon or MultiPolygon.");
            if (w.IsEmpty) throw new SiteQueryException("INVALID_GEOMETRY", "within is an empty polygon.");
            if (w.NumPoints > _limits.MaxPolygonVertices)
                throw new SiteQueryException("INVALID_GEOMETRY",
                    $"The polygon has {w.NumPoints} vertices; the limit is {_limits.MaxPolygonVertices}.");
            if (w.Coordinates.Any(c => !(c.X is >= -180 and <= 180) || !(c.Y is >= -90 and <= 90)))
                throw new SiteQueryException("INVALID_GEOMETRY", "Polygon coordinates must be [longitude, latitude] (RFC 7946).");
            if (!w.IsValid) throw new SiteQueryException("INVALID_GEOMETRY",
                "The polygon is not valid (self-intersection or unclosed ring).");
        }
        foreach (var (name, code) in new[] { ("communeCode", filter.CommuneCode), ("departementCode", filter.DepartementCode) })
            if (code is not null && (code.Length is < 2 or > 5 || !code.All(char.IsAsciiLetterOrDigit)))
                throw new SiteQueryException("BAD_USER_INPUT",
                    $"{name} must be an INSEE code such as 23096 (commune) or 2A (département).");
        if (filter.Search is { } s)
        {
            if (s.Any(char.IsControl)) throw new SiteQueryException("BAD_USER_INPUT", "search may not hold control characters.");
            if (TextSearch.Fold(s).Length is < 2 or > 100) throw new SiteQueryException("BAD_USER_INPUT",
                "search needs 2 to 100 characters.");
        }
        if (filter.OpenAt is { Year: < 1900 or > 2200 })
            throw new SiteQueryException("BAD_USER_INPUT", "openAt must be an instant between the years 1900 and 2200.");
    }

    /// <summary>The columns to read: the fields asked for and the id (it keys pages and cursors), or every field.</summary>
    internal static SiteField[] Columns(IReadOnlyCollection<SiteField>? fields) =>
        fields is null ? [.. SiteFields.All] : [.. fields.Append(SiteFields.Id).Distinct().OrderBy(f => f.Column, StringComparer.Ordinal)];

    /// <summary>
    /// <c>SELECT columns [, distance] FROM sites WHERE … ORDER BY …  LIMIT n</c>: by distance with <c>near</c>, else by id;
    /// after the cursor when there is one.
    /// </summary>
    internal static SqlStatement PageSql(SiteFilter filter, IReadOnlyList<SiteField> columns, SiteCursor? cursor, int limit)
    {
        var sql = new SqlStatement();
        var near = filter.Near is { } p ? sql.Parameter(Point(p), NpgsqlDbType.Geography) : null;
        sql.Text.Append("SELECT ").AppendJoin(", ", columns.Select(c => "s." + c.Column));
        if (near is not null) sql.Text.Append(", s.location <-> ").Append(near).Append(" AS distance");
        sql.Text.Append(" FROM sites AS s");
        Where(sql, filter, near);
        if (cursor is { } c)
        {
            var id = sql.Parameter(c.Id);
            if (near is null) sql.And().Append("s.id > ").Append(id);
            else
            {
                var distance = sql.Parameter(c.Distance!.Value);
                sql.And().Append($"(s.location <-> {near} > {distance} OR (s.location <-> {near} = {distance} AND s.id > {id}))");
            }
        }
        sql.Text.Append(near is null ? " ORDER BY s.id" : $" ORDER BY s.location <-> {near}")
            .Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        return sql;
    }

    /// <summary>The conditions of a filter; <paramref name="near"/> is the point's parameter when the caller already has one.</summary>
    private static void Where(SqlStatement sql, SiteFilter filter, string? near = null)
    {
        if (!filter.IncludeRetired) sql.And().Append("s.retired_at IS NULL");
        if (filter.Near is { } p)
        {
            sql.And().Append("s.location IS NOT NULL");
            if (filter.RadiusMeters is { } r)
            {
                near ??= sql.Parameter(Point(p), NpgsqlDbType.Geography);
                sql.And().Append($"ST_DWithin(s.location, {near}, {sql.Parameter(r)}, FALSE)");
            }
        }
        if (filter.BoundingBox is { } b)
        {
            var box = SiteRecord.Wgs84.ToGeometry(new Envelope(b.West, b.East, b.South, b.North));
            sql.And().Append($"ST_Intersects(s.location_geometry, {sql.Parameter(box, NpgsqlDbType.Geometry)})");
        }
        if (filter.Within is { } within)
        {
            within.SRID = 4326;
            sql.And().Append($"ST_Intersects(s.location_geometry, {sql.Parameter(within, NpgsqlDbType.Geometry)})");
        }
        // An arrondissement, former or delegated code designates its current commune, looked up in the same statement.
        if (filter.CommuneCode is { } commune)
        {
            var code = sql.Parameter(commune);
            sql.And().Append(
                $"s.commune_code = COALESCE((SELECT cc.commune_code FROM commune_codes AS cc WHERE cc.code = {code}), {code})");
        }
        if (filter.DepartementCode is { } departement) sql.And().Append($"s.departement_code = {sql.Parameter(departement)}");
        AnyOf(sql, nameof(Site.Services), filter.Services);
        AnyOf(sql, nameof(Site.PublicsSpecifiquementAdresses), filter.Publics);
        AnyOf(sql, nameof(Site.FraisACharge), filter.Frais);
        AnyOf(sql, nameof(Site.ModalitesAccompagnement), filter.Modalites);
        AnyOf(sql, nameof(Site.DispositifProgrammesNationaux), filter.Programmes);
        Present(sql, nameof(Site.PriseRdv), filter.OnlineBooking);
        Present(sql, nameof(Site.FicheAccesLibre), filter.AccessibilityInfo);
        if (filter.Search is { } search)
        {
            // The folded text as a LIKE pattern (its own wildcards escaped), served by the trigram index on search_text.
            var folded = TextSearch.Fold(search).Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
            sql.And().Append($"s.search_text LIKE {sql.Parameter("%" + folded + "%")}");
        }
    }

    /// <summary>Sites whose list holds any of the labels (<c>&amp;&amp;</c> on <c>text[]</c>).</summary>
    private static void AnyOf(SqlStatement sql, string field, IReadOnlyList<string>? labels)
    {
        if (labels is not { Count: > 0 }) return;
        var parameter = sql.Parameter(labels.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        sql.And().Append($"s.{SiteFields.ByName[field].Column} && {parameter}");
    }

    /// <summary>Sites that have (true) or lack (false) a value in a field.</summary>
    private static void Present(SqlStatement sql, string field, bool? present)
    {
        if (present is not { } p) return;
        sql.And().Append($"s.{SiteFields.ByName[field].Column} IS {(p ? "NOT NULL" : "NULL")}");
    }

    private static Point Point(GeoPoint p) => SiteRecord.Wgs84.CreatePoint(new Coordinate(p.Longitude, p.Latitude));

    /// <summary>
    /// The next <paramref name="first"/> + 1 sites by (distance, id), from <paramref name="fetch"/>, which gives the n
    /// nearest candidates in index order. Exact when nothing was left out, or when the page's last site is strictly
    /// nearer than the farthest candidate: every site not fetched is at least that far. Otherwise n grows.
    /// </summary>
    private static async Task<List<(Site Site, double? Distance)>> NearestAsync(int first,
        Func<int, Task<List<(Site Site, double Distance)>>> fetch)
    {
        for (var n = first + SpareCandidates; ; n *= 4)
        {
            var candidates = await fetch(n);
            var sorted = candidates.OrderBy(x => x.Distance).ThenBy(x => x.Site.Id).ToList();
            var complete = candidates.Count < n || first == 0 || sorted[first - 1].Distance < candidates[^1].Distance;
            if (complete) return sorted.Take(first + 1).Select(x => (x.Site, (double?)x.Distance)).ToList();
        }
    }

    private Task<List<(Site Site, double Distance)>> FetchAsync(SqlStatement sql, SiteField[] columns, bool withDistance,
        CancellationToken ct) =>
        ReadAsync(sql, async (reader, token) =>
        {
            var rows = new List<(Site, double)>();
            while (await reader.ReadAsync(token)) rows.Add((ReadSite(reader, columns),
                withDistance ? reader.GetDouble(columns.Length) : 0));
            return rows;
        }, ct);

    /// <summary>
    /// The one place a statement of this class runs: read whole by <paramref name="read"/>, and once more on a fresh
    /// connection when the connection broke (<see cref="ReadRetry"/>); every statement here is a SELECT.
    /// </summary>
    private Task<T> ReadAsync<T>(SqlStatement sql, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken ct) =>
        _retry.RunAsync(async token =>
        {
            await using var command = sql.Command(reads);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await read(reader, token);
        }, ct);

    /// <summary>The current row's first columns as a site holding those fields.</summary>
    private static Site ReadSite(NpgsqlDataReader reader, SiteField[] columns)
    {
        var site = new Site();
        for (var i = 0; i < columns.Length; i++)
            if (!reader.IsDBNull(i)) columns[i].Set(site, Read(reader, i, columns[i].Kind));
        return site;
    }

    /// <summary>A column read as its field's type (Npgsql reads <c>text[]</c>, <c>date</c> and geography into these).</summary>
    private static object Read(NpgsqlDataReader reader, int ordinal, SiteFieldKind kind) => kind switch
    {
        SiteFieldKind.Id => reader.GetInt64(ordinal),
        SiteFieldKind.Text => reader.GetString(ordinal),
        SiteFieldKind.Number => reader.GetDouble(ordinal),
        SiteFieldKind.Date => reader.GetFieldValue<DateOnly>(ordinal),
        SiteFieldKind.Instant => reader.GetFieldValue<DateTimeOffset>(ordinal),
        SiteFieldKind.TextList => reader.GetFieldValue<List<string>>(ordinal),
        SiteFieldKind.Point => reader.GetFieldValue<Point>(ordinal),
        _ => throw new InvalidOperationException($"No reader for {kind}."),
    };

    /// <summary>Opening hours cannot be evaluated in SQL: the matching sites (bounded) are evaluated in memory, in page order.</summary>
    private async Task<SitePage> OpenAtPageAsync(SiteFilter filter, DateTimeOffset openAt, int first, SiteCursor? cursor,
        SiteField[] columns, CancellationToken ct)
    {
        var open = await OpenCandidatesAsync(filter, openAt, cursor, ct);
        var page = open.Take(first).ToList();
        var sites = (await ByIdsAsync(page.Select(c => c.Id).ToList(), columns, ct)).ToDictionary(s => s.Id);
        var hits = page.Select(c => new SiteHit(sites[c.Id], c.Distance, filter.Near)).ToList();
        var total = cursor is null ? open.Count : (int?)null;
        return new SitePage(hits, open.Count > first, cursor is not null, token =>
            total is { } t ? Task.FromResult(t) : CountAsync(filter, token));
    }

    /// <summary>The ids (and distances) of the sites open at <paramref name="openAt"/>, in page order, after the cursor.</summary>
    private async Task<List<(long Id, double? Distance)>> OpenCandidatesAsync(SiteFilter filter, DateTimeOffset openAt, SiteCursor? cursor,
        CancellationToken ct)
    {
        var sql = new SqlStatement();
        var near = filter.Near is { } p ? sql.Parameter(Point(p), NpgsqlDbType.Geography) : null;
        sql.Text.Append("SELECT s.id, s.horaires, s.departement_code")
            .Append(near is null ? "" : $", s.location <-> {near}")
            .Append(" FROM sites AS s");
        Where(sql, filter, near);
        sql.Text.Append(near is null ? " ORDER BY s.id" : $" ORDER BY s.location <-> {near}")
            .Append(" LIMIT ").Append((_limits.MaxOpenAtCandidates + 1).ToString(CultureInfo.InvariantCulture));
        var candidates = await ReadAsync(sql, async (reader, token) =>
        {
            var rows = new List<(long Id, string? Horaires, string? Departement, double? Distance)>();
            while (await reader.ReadAsync(token))
                rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), near is null ? null : reader.GetDouble(3)));
            return rows;
        }, ct);
        if (candidates.Count > _limits.MaxOpenAtCandidates)
            throw new SiteQueryException("OPEN_AT_TOO_BROAD", $"openAt is evaluated on at most {_limits.MaxOpenAtCandidates} sites: " +
                "narrow the search (near with a radius, a commune, a département, a box).");
        return candidates
            .Where(c => OpeningHoursCache.Parse(c.Horaires).IsOpenAt(openAt, FrenchTimeZones.ForDepartement(c.Departement),
                c.Departement) == true)
            .OrderBy(c => c.Distance).ThenBy(c => c.Id)
            .Where(c => cursor is not { } k
                || (near is null ? c.Id > k.Id : c.Distance > k.Distance || (c.Distance == k.Distance && c.Id > k.Id)))
            .Select(c => (c.Id, c.Distance)).ToList();
    }
}
