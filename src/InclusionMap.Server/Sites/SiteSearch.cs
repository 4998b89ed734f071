using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using InclusionMap.Core;
using InclusionMap.Core.OpeningHours;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.Sites;

/// <summary>A WGS84 point given by a client.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude);

/// <summary>A lon/lat rectangle (west, south, east, north), in degrees.</summary>
public readonly record struct BoundingBox(double West, double South, double East, double North);

/// <summary>What a client asks of the catalogue. Every part is optional; vocabulary lists match sites having any of the values.</summary>
public sealed record SiteFilter
{
    public GeoPoint? Near { get; init; }
    public double? RadiusMeters { get; init; }
    public BoundingBox? BoundingBox { get; init; }
    /// <summary>An INSEE code; an arrondissement (75101), a former or a delegated code designates its current commune.</summary>
    public string? CommuneCode { get; init; }
    public string? DepartementCode { get; init; }
    public Geometry? Within { get; init; }
    public IReadOnlyList<Service>? Services { get; init; }
    public IReadOnlyList<Public>? Publics { get; init; }
    public IReadOnlyList<FraisACharge>? Frais { get; init; }
    public IReadOnlyList<ModaliteAccompagnement>? Modalites { get; init; }
    public DateTimeOffset? OpenAt { get; init; }
    public string? Search { get; init; }
    /// <summary>Benchmark databases only (see <see cref="SiteSearchLimits.IncludeSynthetic"/>); real sites only otherwise.</summary>
    public bool IncludeSynthetic { get; init; }
}

/// <summary>
/// Settings that depend on the deployment: <c>InclusionMap:MaxOpenAtCandidates</c>, and <c>InclusionMap:IncludeSyntheticSites</c>
/// (benchmark databases only: their scaled-up copies of real sites, flagged <c>synthetic</c>, are then served like real ones).
/// </summary>
public sealed record SiteSearchLimits(int MaxOpenAtCandidates = SiteSearch.MaxOpenAtCandidates, bool IncludeSynthetic = false);

/// <summary>A site of a result page, with its distance to <paramref name="Near"/> when the search has one.</summary>
public sealed record SiteHit(Site Site, double? DistanceMeters, GeoPoint? Near)
{
    /// <summary>The keyset cursor of this site, encoded when asked for: most pages are read without cursors.</summary>
    public string Cursor => field ??= SiteSearch.Cursor.Encode(Near, DistanceMeters, Site.Id);
}

public sealed record SitePage(IReadOnlyList<SiteHit> Hits, bool HasNextPage, bool HasPreviousPage, Func<CancellationToken, Task<int>> CountAsync);

/// <summary>A request the catalogue refuses, with a stable machine-readable code (GraphQL <c>extensions.code</c>).</summary>
public sealed class SiteSearchException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Searches the catalogue: every filter becomes SQL run by PostGIS on its indexes. With <see cref="SiteFilter.Near"/>
/// the order is the great-circle distance on the sphere (<c>location &lt;-&gt; point</c>, the GiST KNN operator), ties by
/// id; otherwise by id. Pages are keyset-based: a cursor holds the last (distance, id) or id, so paging never skips or
/// repeats a site when others are added meanwhile. Distances everywhere (order, radius, reported value) are the same
/// spherical measure PostGIS uses for <c>&lt;-&gt;</c> on geography: within 0.5 % of the ellipsoidal distance.
/// </summary>
public static class SiteSearch
{
    public const int MaxPageSize = 100;
    public const double MaxRadiusMeters = 100_000;
    public const int MaxWithinVertices = 10_000;
    /// <summary>Opening hours are evaluated in memory: at most this many candidates before <c>openAt</c> is refused as too broad.</summary>
    public const int MaxOpenAtCandidates = 10_000;

    private static readonly GeometryFactory Wgs84 = SiteRecord.Wgs84;

    /// <summary>Checks a filter and page size; throws <see cref="SiteSearchException"/> with a readable reason.</summary>
    public static void Validate(SiteFilter filter, int first)
    {
        if (first < 0) throw new SiteSearchException("BAD_USER_INPUT", "first must be zero or more.");
        if (first > MaxPageSize) throw new SiteSearchException("PAGE_SIZE_EXCEEDED", $"first is limited to {MaxPageSize} per page; page with 'after'.");
        if (filter.Near is { } p)
        {
            if (p.Latitude is < -90 or > 90 || double.IsNaN(p.Latitude)) throw new SiteSearchException("BAD_USER_INPUT", "near.latitude must be between -90 and 90.");
            if (p.Longitude is < -180 or > 180 || double.IsNaN(p.Longitude)) throw new SiteSearchException("BAD_USER_INPUT", "near.longitude must be between -180 and 180.");
        }
        if (filter.RadiusMeters is { } r)
        {
            if (filter.Near is null) throw new SiteSearchException("BAD_USER_INPUT", "radiusMeters needs near.");
            if (r <= 0 || double.IsNaN(r)) throw new SiteSearchException("BAD_USER_INPUT", "radiusMeters must be positive.");
            if (r > MaxRadiusMeters) throw new SiteSearchException("RADIUS_TOO_LARGE", $"radiusMeters is limited to {MaxRadiusMeters:0} m (100 km).");
        }
        if (filter.BoundingBox is { } b)
        {
            if (b.South is < -90 or > 90 || b.North is < -90 or > 90 || b.West is < -180 or > 180 || b.East is < -180 or > 180)
                throw new SiteSearchException("BAD_USER_INPUT", "bbox coordinates must be longitudes in [-180, 180] and latitudes in [-90, 90].");
            if (b.South >= b.North || b.West >= b.East)
                throw new SiteSearchException("BAD_USER_INPUT", "bbox needs west < east and south < north (boxes across the antimeridian are not supported).");
        }
        if (filter.Within is { } w)
        {
            if (w is not (Polygon or MultiPolygon)) throw new SiteSearchException("INVALID_GEOMETRY", "within must be a GeoJSON Polygon or MultiPolygon.");
            if (w.NumPoints > MaxWithinVertices) throw new SiteSearchException("INVALID_GEOMETRY", $"within has {w.NumPoints} vertices; the limit is {MaxWithinVertices}.");
            if (!w.IsValid) throw new SiteSearchException("INVALID_GEOMETRY", "within is not a valid polygon (self-intersection or unclosed ring).");
            if (w.Coordinates.Any(c => c.X is < -180 or > 180 || c.Y is < -90 or > 90))
                throw new SiteSearchException("INVALID_GEOMETRY", "within coordinates must be [longitude, latitude] (RFC 7946).");
        }
        if (filter.Search is { } s && (TextSearch.Fold(s).Length is < 2 or > 100))
            throw new SiteSearchException("BAD_USER_INPUT", "search needs 2 to 100 characters.");
    }

    /// <summary>
    /// The filtered sites, unordered: real sites only (unless <see cref="SiteFilter.IncludeSynthetic"/>), each filter on its index (<c>ST_DWithin</c> on the geography
    /// GiST index, <c>&amp;&amp;</c>/<c>ST_Intersects</c> on the geometry GiST index, <c>&amp;&amp;</c> on vocabulary arrays,
    /// trigram <c>LIKE</c> on the folded text).
    /// </summary>
    public static IQueryable<Site> Filter(CatalogueDbContext db, SiteFilter filter)
    {
        var sites = db.Sites.AsNoTracking();
        var q = filter.IncludeSynthetic ? sites : sites.Where(s => !s.Synthetic);
        if (filter.Near is { } near)
        {
            var point = Point(near);
            q = q.Where(s => s.Location != null);
            if (filter.RadiusMeters is { } r) q = q.Where(s => EF.Functions.IsWithinDistance(s.Location!, point, r, false));
        }
        if (filter.BoundingBox is { } b)
        {
            var box = Wgs84.ToGeometry(new Envelope(b.West, b.East, b.South, b.North));
            q = q.Where(s => s.LocationGeometry!.Intersects(box));
        }
        if (filter.Within is { } within)
        {
            within.SRID = 4326;
            q = q.Where(s => s.LocationGeometry!.Intersects(within));
        }
        // The current code is looked up in the same statement (COALESCE of a one-row subquery), not in a round trip of its own.
        if (filter.CommuneCode is { } commune)
            q = q.Where(s => s.CommuneCode == (db.CommuneCodes.Where(c => c.Code == commune).Select(c => c.CommuneCodeCurrent).FirstOrDefault() ?? commune));
        if (filter.DepartementCode is { } departement) q = q.Where(s => s.DepartementCode == departement);
        if (filter.Services is { Count: > 0 } services) q = q.Where(s => s.Services.Any(x => services.Contains(x)));
        if (filter.Publics is { Count: > 0 } publics) q = q.Where(s => s.PublicsSpecifiquementAdresses.Any(x => publics.Contains(x)));
        if (filter.Frais is { Count: > 0 } frais) q = q.Where(s => s.FraisACharge.Any(x => frais.Contains(x)));
        if (filter.Modalites is { Count: > 0 } modalites) q = q.Where(s => s.ModalitesAccompagnement.Any(x => modalites.Contains(x)));
        if (filter.Search is { } search)
        {
            var folded = TextSearch.Fold(search);
            q = q.Where(s => s.SearchText.Contains(folded));
        }
        return q;
    }

    public static Point Point(GeoPoint p) => Wgs84.CreatePoint(new Coordinate(p.Longitude, p.Latitude));

    /// <summary>
    /// One page of sites after <paramref name="after"/>. The SQL for <c>near</c> is
    /// <c>… WHERE ST_DWithin(location, p, r, false) … ORDER BY location &lt;-&gt; p LIMIT first + 1</c> (see <see cref="SpareCandidates"/>).
    /// With <paramref name="columns"/> (property names of <see cref="Site"/>) only those columns are read
    /// (<see cref="Site.Reading"/>); null reads whole sites.
    /// </summary>
    public static async Task<SitePage> PageAsync(CatalogueDbContext db, SiteFilter filter, int first, string? after, CancellationToken ct, SiteSearchLimits? limits = null,
        IReadOnlyCollection<string>? columns = null)
    {
        Validate(filter, first);
        var cursor = after is null ? (Cursor?)null : Cursor.Decode(after, filter.Near);
        // Built when needed: the compiled nearest page has its own query, and building this one costs expression trees.
        IQueryable<Site>? filtered = null;
        IQueryable<Site> Filtered() => filtered ??= Filter(db, filter);
        if (filter.OpenAt is { } openAt) return await OpenAtPageAsync(db, Filtered(), filter, openAt, first, cursor, (limits ?? new()).MaxOpenAtCandidates, ct);

        // Only the EF Core paths need the projection (the direct nearest query reads the columns itself).
        Expression<Func<Site, Site>>? Projection() => columns is null ? null : Site.Reading(columns);
        List<(Site Site, double? Distance)> rows;
        if (filter.Near is { } near)
        {
            var p = Point(near);
            // The first page around a point (within a radius or not), the search residents make most: straight through
            // Npgsql when its columns are plain ones, else EF Core's compiled query; any other search, EF Core's general query.
            Func<int, Task<List<SiteAtDistance>>> fetch;
            if (!CompiledNearest.Serves(filter, cursor)) fetch = n => Ranked(Filtered(), Projection(), p, cursor).OrderBy(x => x.Distance).Take(n).ToListAsync(ct);
            else if (columns is not null && NearestSitesQuery.For(db.Model, columns, filter.IncludeSynthetic, filter.RadiusMeters is not null) is { } direct)
                fetch = n => direct.FetchAsync(db, p, filter.RadiusMeters ?? 0, n, ct);
            else fetch = n => CompiledNearest.FetchAsync(db, Projection(), filter, p, n, ct);
            rows = await NearestAsync(first, fetch);
        }
        else
        {
            var ordered = cursor is { } c ? Filtered().Where(s => s.Id > c.Id) : Filtered();
            var page = ordered.OrderBy(s => s.Id).Take(first + 1);
            rows = (await (Projection() is { } projection ? page.Select(projection) : page).ToListAsync(ct)).Select(s => (s, (double?)null)).ToList();
        }
        var hits = rows.Take(first).Select(r => new SiteHit(r.Site, r.Distance, filter.Near)).ToList();
        return new SitePage(hits, rows.Count > first, cursor is not null, token => Filtered().CountAsync(token));
    }

    /// <summary>
    /// Nearest candidates fetched beyond the page the first time (see <see cref="NearestAsync"/>): the one that says
    /// whether a next page exists. Each more is a row the index walk, the heap and the distance cost for every page
    /// (measured: two more rows added 0.02–0.03 ms to a nearest-10 page at 250,000 sites), while only the pages whose
    /// last site shares its place with the next (about 5 % of sites share theirs) need the second query.
    /// </summary>
    internal const int SpareCandidates = 1;

    /// <summary>
    /// The next <paramref name="first"/> + 1 sites by (distance, id), from <paramref name="fetch"/>, which gives the n
    /// nearest candidates. A second sort key would stop PostgreSQL from walking the GiST index in distance order (it
    /// would sort the whole table), so the index alone orders the nearest candidates (<c>ORDER BY location &lt;-&gt; p
    /// LIMIT n</c>) and this small set is ordered by (distance, id) here. When sites at the same distance straddle the
    /// end of the candidates, n grows until the page is exact. One spare candidate only is fetched the first time (see
    /// <see cref="SpareCandidates"/>): every row is a site to read and materialise, while a tie across the page end,
    /// which costs one more query, is rare.
    /// </summary>
    private static async Task<List<(Site Site, double? Distance)>> NearestAsync(int first, Func<int, Task<List<SiteAtDistance>>> fetch)
    {
        for (var n = first + SpareCandidates; ; n *= 4)
        {
            var candidates = await fetch(n);
            var sorted = candidates.OrderBy(x => x.Distance).ThenBy(x => x.Site.Id).ToList();
            // Exact when nothing was left out, or when the page's last site is strictly nearer than the farthest
            // candidate: every site not fetched is at least that far, so none can belong in the page.
            var complete = candidates.Count < n || first == 0 || sorted[first - 1].Distance < candidates[^1].Distance;
            if (complete) return sorted.Take(first + 1).Select(x => (x.Site, (double?)x.Distance)).ToList();
        }
    }

    /// <summary>The filtered sites (projected) with their distance to <paramref name="p"/>, after the cursor when there is one.</summary>
    private static IQueryable<SiteAtDistance> Ranked(IQueryable<Site> filtered, Expression<Func<Site, Site>>? projection, Point p, Cursor? cursor)
    {
        Expression<Func<Site, SiteAtDistance>> rank = s => new SiteAtDistance { Site = s, Distance = EF.Functions.DistanceKnn(s.Location!, p) };
        var ranked = filtered.Select(projection is null ? rank : ProjectInto(rank, projection));
        return cursor is { } c ? ranked.Where(x => x.Distance > c.Distance || (x.Distance == c.Distance && x.Site.Id > c.Id)) : ranked;
    }

    /// <summary><c>s =&gt; new SiteAtDistance { Site = projection(s), … }</c>: the distance is computed on the row, whatever columns are read.</summary>
    private static Expression<Func<Site, SiteAtDistance>> ProjectInto(Expression<Func<Site, SiteAtDistance>> rank, Expression<Func<Site, Site>> projection)
    {
        var s = rank.Parameters[0];
        var init = (MemberInitExpression)rank.Body;
        var site = ReplacingExpressionVisitor.Replace(projection.Parameters[0], s, projection.Body);
        return Expression.Lambda<Func<Site, SiteAtDistance>>(init.Update(init.NewExpression,
            init.Bindings.Select(b => b.Member.Name == nameof(SiteAtDistance.Site) ? Expression.Bind(b.Member, site) : b)), s);
    }

    /// <summary>A site (or the columns of it a query reads) and its distance in metres to the query point.</summary>
    internal sealed class SiteAtDistance
    {
        public Site Site { get; init; } = null!;
        public double Distance { get; init; }
    }

    /// <summary>
    /// The first page of the searches residents make most, nearest sites around a point (within a radius or not), when
    /// <see cref="NearestSitesQuery"/> cannot read its columns (whole sites, vocabularies), as EF Core compiled queries:
    /// one per set of columns, compiled once, so a request skips EF Core's translation cache lookup (walking and hashing
    /// the query tree), about a third of its cost for a nearest-10 page. The SQL is the same as <see cref="Ranked"/> gives.
    /// </summary>
    private static class CompiledNearest
    {
        private static readonly ConcurrentDictionary<(Expression<Func<Site, Site>>? Projection, bool IncludeSynthetic, bool Radius),
            Func<CatalogueDbContext, Point, double, int, IAsyncEnumerable<SiteAtDistance>>> Queries = new();

        /// <summary>Near, optionally a radius, nothing else, first page.</summary>
        public static bool Serves(SiteFilter filter, Cursor? cursor) =>
            cursor is null && filter with { Near = null, RadiusMeters = null, IncludeSynthetic = false } == new SiteFilter();

        public static async Task<List<SiteAtDistance>> FetchAsync(CatalogueDbContext db, Expression<Func<Site, Site>>? projection, SiteFilter filter, Point p, int n, CancellationToken ct)
        {
            if (Queries.Count > 1_000) Queries.Clear();
            var query = Queries.GetOrAdd((projection, filter.IncludeSynthetic, filter.RadiusMeters is not null), key => Compile(key.Projection, key.IncludeSynthetic, key.Radius));
            var rows = new List<SiteAtDistance>(n);
            await foreach (var row in query(db, p, filter.RadiusMeters ?? 0, n).WithCancellation(ct)) rows.Add(row);
            return rows;
        }

        private static Func<CatalogueDbContext, Point, double, int, IAsyncEnumerable<SiteAtDistance>> Compile(Expression<Func<Site, Site>>? projection, bool includeSynthetic, bool radius)
        {
            // The same predicates and projection as Filter and Ranked, written over the compiled query's parameters. The two
            // flags are constants when the query is compiled: EF Core leaves out the conditions that are off.
            // Its parameters are named after the lambda's (@near, @r; the LIMIT becomes a literal, see LiteralLimitInterceptor).
            Expression<Func<CatalogueDbContext, Point, double, int, IQueryable<SiteAtDistance>>> query = (db, near, r, n) => db.Sites.AsNoTracking()
                .Where(s => (includeSynthetic || !s.Synthetic) && s.Location != null && (!radius || EF.Functions.IsWithinDistance(s.Location!, near, r, false)))
                .Select(s => new SiteAtDistance { Site = s, Distance = EF.Functions.DistanceKnn(s.Location!, near) }).OrderBy(x => x.Distance).Take(n);
            if (projection is not null) query = (Expression<Func<CatalogueDbContext, Point, double, int, IQueryable<SiteAtDistance>>>)new RankProjector(projection).Visit(query);
            return EF.CompileAsyncQuery(query);
        }

        /// <summary>Puts the projection in the <c>Site = s</c> binding of the query's <c>SiteAtDistance</c>.</summary>
        private sealed class RankProjector(Expression<Func<Site, Site>> projection) : ExpressionVisitor
        {
            protected override Expression VisitLambda<T>(Expression<T> node) =>
                node.Body is MemberInitExpression { NewExpression.Type: var type } && type == typeof(SiteAtDistance)
                    ? ProjectInto((Expression<Func<Site, SiteAtDistance>>)(object)node, projection)
                    : base.VisitLambda(node);
        }
    }

    /// <summary>Opening hours cannot be evaluated in SQL: the filtered candidates (bounded) are evaluated in memory, in page order.</summary>
    private static async Task<SitePage> OpenAtPageAsync(CatalogueDbContext db, IQueryable<Site> filtered, SiteFilter filter, DateTimeOffset openAt, int first, Cursor? cursor, int maxCandidates, CancellationToken ct)
    {
        List<(long Id, string? Horaires, string? Departement, double? Distance)> candidates;
        if (filter.Near is { } near)
        {
            var p = Point(near);
            // Index order only (see NearestAsync); the bounded candidate set is ordered by (distance, id) in memory.
            candidates = (await filtered.Select(s => new { s.Id, s.Horaires, s.DepartementCode, Distance = EF.Functions.DistanceKnn(s.Location!, p) })
                    .OrderBy(x => x.Distance).Take(maxCandidates + 1).ToListAsync(ct))
                .OrderBy(x => x.Distance).ThenBy(x => x.Id)
                .Select(x => (x.Id, x.Horaires, x.DepartementCode, (double?)x.Distance)).ToList();
        }
        else
        {
            candidates = (await filtered.OrderBy(s => s.Id).Select(s => new { s.Id, s.Horaires, s.DepartementCode }).Take(maxCandidates + 1).ToListAsync(ct))
                .Select(x => (x.Id, x.Horaires, x.DepartementCode, (double?)null)).ToList();
        }
        if (candidates.Count > maxCandidates)
            throw new SiteSearchException("OPEN_AT_TOO_BROAD", $"openAt is evaluated on at most {maxCandidates} sites: narrow the search (near with radiusMeters, communeCode, departementCode, bbox).");
        var open = candidates.Where(c => IsOpen(c.Horaires, c.Departement, openAt)).ToList();
        var afterCursor = cursor is { } k
            ? open.Where(c => filter.Near is null ? c.Id > k.Id : c.Distance > k.Distance || (c.Distance == k.Distance && c.Id > k.Id)).ToList()
            : open;
        var pageIds = afterCursor.Take(first).ToList();
        var ids = pageIds.Select(c => c.Id).ToList();
        var sites = await db.Sites.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var hits = pageIds.Select(c => new SiteHit(sites[c.Id], c.Distance, filter.Near)).ToList();
        var total = open.Count;
        return new SitePage(hits, afterCursor.Count > first, cursor is not null, _ => Task.FromResult(total));
    }

    private static readonly ConcurrentDictionary<string, OpeningHours> ParsedHours = new(StringComparer.Ordinal);

    /// <summary>Opening hours of a value, parsed once per distinct text (producers repeat the same few hundred values).</summary>
    public static OpeningHours Hours(string? horaires)
    {
        if (horaires is null) return OpeningHours.Parse(null);
        if (ParsedHours.Count > 50_000) ParsedHours.Clear();
        return ParsedHours.GetOrAdd(horaires, OpeningHours.Parse);
    }

    /// <summary>Open now only when the hours say so; unknown or missing hours never count as open.</summary>
    private static bool IsOpen(string? horaires, string? departement, DateTimeOffset at) =>
        Hours(horaires).IsOpenAt(at, FrenchTimeZones.ForDepartement(departement), departement) == true;

    /// <summary>
    /// Opaque keyset cursors: "i:{id}" for the id order, "d:{lat},{lon}:{distance}:{id}" for the distance order. A distance
    /// cursor carries its query point: using it with another point is refused rather than silently wrong.
    /// </summary>
    internal readonly record struct Cursor(double? Distance, long Id)
    {
        public static string Encode(GeoPoint? near, double? distance, long id)
        {
            var text = near is { } p && distance is { } d
                ? string.Create(CultureInfo.InvariantCulture, $"d:{p.Latitude:R},{p.Longitude:R}:{d:R}:{id}")
                : string.Create(CultureInfo.InvariantCulture, $"i:{id}");
            return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
        }

        public static Cursor Decode(string cursor, GeoPoint? near)
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            }
            catch (FormatException)
            {
                throw new SiteSearchException("BAD_CURSOR", "after is not a cursor of this API.");
            }
            var parts = text.Split(':');
            if (near is null && parts is ["i", var id] && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)) return new Cursor(null, i);
            if (near is { } p && parts is ["d", var point, var dist, var id2]
                && double.TryParse(dist, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && long.TryParse(id2, NumberStyles.None, CultureInfo.InvariantCulture, out var i2))
            {
                if (point != string.Create(CultureInfo.InvariantCulture, $"{p.Latitude:R},{p.Longitude:R}"))
                    throw new SiteSearchException("BAD_CURSOR", "this cursor belongs to a search around another point.");
                return new Cursor(d, i2);
            }
            throw new SiteSearchException("BAD_CURSOR", near is null
                ? "this cursor belongs to a search ordered by distance: pass the same near."
                : "this cursor does not belong to a search ordered by distance.");
        }
    }
}
