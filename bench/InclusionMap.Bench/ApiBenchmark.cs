using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InclusionMap.Data;
using InclusionMap.Server.Tiles;
using Npgsql;

namespace InclusionMap.Bench;

/// <summary>
/// The API at each catalogue size, through HTTP against the real server started as a child process, each query beside
/// its raw SQL floor (the equivalent SQL through Npgsql, same query points); throughput with <c>wrk</c>; the PostGraphile
/// peer on the same database; peak memory; Lighthouse scores of the home page and of a place's page. One table, one column
/// per size.
/// </summary>
public sealed partial class ApiBenchmark(BenchOptions options, string root, string dataDirectory)
{
    private const string NearestQuery = "query($lat: Float!, $lon: Float!) { sites(near: {latitude: $lat, longitude: $lon}, first: 10) "
        + "{ nodes { id nom latitude longitude } } }";
    private const string PeerNearestQuery = "query($lat: Float!, $lon: Float!) { nearestSites(lat: $lat, lon: $lon, n: 10) "
        + "{ nodes { id nom latitude longitude } } }";
    private const string WithinQuery = "query($lat: Float!, $lon: Float!) { sites(near: {latitude: $lat, longitude: $lon}, "
        + "radiusMeters: 5000, first: 100) { edges { distanceMeters node { id nom latitude longitude } } } }";
    private const string BBoxQuery = "query($w: Float!, $s: Float!, $e: Float!, $n: Float!) { sites(bbox: {west: $w, south: $s, "
        + "east: $e, north: $n}, first: 100) { nodes { id nom latitude longitude } } }";
    private const string CommuneQuery =
        "query($code: String!) { sites(communeCode: $code, first: 100) { nodes { id nom latitude longitude } } }";
    /// <summary>Half sides of the bounding box around a query point (about 9 km × 9 km in mainland France).</summary>
    private const double BoxHalfLat = 0.04, BoxHalfLon = 0.06;

    private readonly string _work = Directory.CreateTempSubdirectory("im-bench-run-").FullName;
    private readonly ResultTable _table = new();
    private readonly List<string> _notes = [];
    private readonly string _loadBefore = Load();

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public sealed record QueryPoint(string Commune, double Lat, double Lon)
    {
        public (int X, int Y) Tile(int z)
        {
            var n = 1 << z;
            var x = (int)Math.Floor((Lon + 180) / 360 * n);
            var rad = Lat * Math.PI / 180;
            var y = (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n);
            return (Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
        }
    }

    /// <summary>The per-address budget the benchmarked server is given for each class of request (the largest allowed).</summary>
    private const string UnlimitedPermits = "2147483647";

    private sealed record Probe(
        string Key, string Label, Func<QueryPoint, BenchRequest> Http, Func<QueryPoint, (string Sql, object[] Args)> Sql);

    public async Task<(string Table, IReadOnlyList<string> Notes)> RunAsync()
    {
        var serverDll = Path.Combine(root, "src", "InclusionMap.Server", "bin", "Release", "net10.0", "inclusionmap.dll");
        if (!File.Exists(serverDll))
            throw new FileNotFoundException("Build the server first: dotnet build src/InclusionMap.Server -c Release", serverDll);
        await using var databases = await BenchDatabases.CreateAsync(dataDirectory, options.Sizes);
        var (warmup, points) = await DrawPointsAsync(databases);
        _table.Columns.AddRange(databases.Databases.Select(d => d.Label));
        for (var i = 0; i < databases.Databases.Count; i++)
            await RunSizeAsync(databases, databases.Databases[i], i, serverDll, warmup, points);
        _notes.Add($"Latency: {options.Points} query points per kind (commune centres drawn at random, the same for HTTP and SQL and for " +
                   $"every size), after wrk over one connection with every GraphQL query ({(options.Quick ? 4 : 10)} s; OData: " +
                   $"{(options.Quick ? 2 : 5)} s) and {options.WarmupPoints} warm-up points, then a pause until the server and the " +
                   "harness are idle (background JIT compilation done); one connection, one request at a time, the query kinds " +
                   "interleaved point after point in a shuffled order (a transient of the machine falls on all alike, and no kind always " +
                   "follows the same one); p50 / p95 in ms. HTTP is timed with a minimal HTTP/1.1 client (one kept-alive connection; the " +
                   "request's bytes built before the clock starts, sent in one write, the response read to its last byte), which does " +
                   "per request what wrk does and about as little as Npgsql does for the floor; the nearest query is also timed through " +
                   ".NET's HttpClient, interleaved, in rows of its own: that general client cost 0.03–0.05 ms more per request when " +
                   "measured by hand on this machine, interleaved. OData asks for the same four fields as the GraphQL query and the " +
                   "floor ($select=Id,Nom,Latitude,Longitude). Tiles: each distinct tile of those points once, rendered by the server " +
                   "(not cached), against the server's own ST_AsMVT SQL. The round-trip row is the least work at either end: a static " +
                   "file through the server's whole pipeline (middleware, static-file handler), SELECT 1 through Npgsql. It is not all " +
                   "transport: measured by hand on this machine, interleaved, a bare Kestrel app answering a constant took about as long " +
                   "as SELECT 1 (0.15–0.24 ms against 0.11–0.17 ms), so most of the gap is the server's own work per request.");
        _notes.Add($"Throughput: wrk, {options.WrkConnections} connections, 2 threads, {options.WrkSeconds} s, on loopback, the server, " +
                   $"PostgreSQL and wrk sharing the machine; GraphQL queries rotate over the {options.Points} query points (variables): " +
                   "POST is computed every time, GET is answered from the output cache after the first round (as for residents of one " +
                   "commune searching around its centre); the tile is one cached z12 tile (Paris).");
        _notes.Add("Rate limits: the server is started with every per-address budget raised to the largest value " +
                   "(InclusionMap__RateLimits__{Search,Analysis,Maps,Tiles}__PermitLimit), since wrk and the timed client send " +
                   "everything from one loopback address; the figures are the server's work, not its limits (docs/security.md).");
        _notes.Add($"Machine load: load average {_loadBefore} before the run, {Load()} after (other processes on the machine compete for " +
                   "the cores and lower every figure but server CPU per request under wrk).");
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
        return (_table.Render(), _notes);
    }

    private async Task<(List<QueryPoint> Warmup, List<QueryPoint> Points)> DrawPointsAsync(BenchDatabases databases)
    {
        var all = new List<QueryPoint>();
        await using var dataSource = CatalogueDatabase.CreateDataSource(databases.ConnectionString(BenchDatabases.RealDatabase));
        await using var command = dataSource.CreateCommand(
            "SELECT code, ST_Y(centre::geometry), ST_X(centre::geometry) FROM communes WHERE centre IS NOT NULL ORDER BY code");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) all.Add(new QueryPoint(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2)));
        var random = new Random(20261130);
        var drawn = all.OrderBy(_ => random.Next()).Take(options.WarmupPoints + options.Points).ToList();
        return (drawn[..options.WarmupPoints], drawn[options.WarmupPoints..]);
    }

    private async Task RunSizeAsync(
        BenchDatabases databases, BenchDatabase database, int column, string serverDll, List<QueryPoint> warmup, List<QueryPoint> points)
    {
        Console.WriteLine($"== {database.Label} sites ({database.Name})");
        var port = ChildProcess.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var log = Path.Combine(_work, $"server-{database.Name}.log");
        string[] serve = [serverDll, "serve", "--urls", baseUri.ToString().TrimEnd('/'), "--no-seed"];
        var server = ChildProcess.Start("inclusionmap", "dotnet", serve, log, new Dictionary<string, string>
        {
            ["ConnectionStrings__Catalogue"] = databases.ConnectionString(database.Name),
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // wrk and the timed client send everything from one address: the per-address budgets are raised out of the way.
            ["InclusionMap__RateLimits__Search__PermitLimit"] = UnlimitedPermits,
            ["InclusionMap__RateLimits__Analysis__PermitLimit"] = UnlimitedPermits,
            ["InclusionMap__RateLimits__Maps__PermitLimit"] = UnlimitedPermits,
            ["InclusionMap__RateLimits__Tiles__PermitLimit"] = UnlimitedPermits,
        });
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false })
            {
                BaseAddress = baseUri,
                Timeout = TimeSpan.FromSeconds(120),
            };
            await WaitReadyAsync(http, server, log);
            await using var dataSource = CatalogueDatabase.CreateDataSource(databases.ConnectionString(database.Name));
            // JIT warm-up (tiered compilation and PGO): every GraphQL query shape for some seconds, over one connection as
            // the latencies are then measured (after a 16-connection burst the first seconds at one request at a time are
            // slower while the server settles, which measured the burst, not the query).
            var warmBodies = warmup.SelectMany(p => new[]
            {
                JsonSerializer.Serialize(new { query = NearestQuery, variables = new { lat = p.Lat, lon = p.Lon } }),
                JsonSerializer.Serialize(new { query = WithinQuery, variables = new { lat = p.Lat, lon = p.Lon } }),
                JsonSerializer.Serialize(new
                {
                    query = BBoxQuery,
                    variables = new { w = p.Lon - BoxHalfLon, s = p.Lat - BoxHalfLat, e = p.Lon + BoxHalfLon, n = p.Lat + BoxHalfLat },
                }),
                JsonSerializer.Serialize(new { query = CommuneQuery, variables = new { code = p.Commune } }),
            }).ToList();
            await Wrk.RunAsync(_work, baseUri, Wrk.PostScript("/graphql", warmBodies),
                options with { WrkSeconds = options.Quick ? 4 : 10, WrkConnections = 1 });
            var odataPaths = warmup.Select(p => ODataNearestPath(p).Replace(" ", "%20", StringComparison.Ordinal)).ToList();
            await Wrk.RunAsync(_work, baseUri, Wrk.GetScript(odataPaths),
                options with { WrkSeconds = options.Quick ? 2 : 5, WrkConnections = 1 });
            using var client = new LoopbackHttpClient(baseUri);
            await MeasureLatenciesAsync(client, http, dataSource, database, column, warmup, points, server);
            await MeasureThroughputAsync(http, baseUri, column, points, server);
            _table.Set("mem-server", "Peak memory, server (VmHWM of the child process)", column, Mb(server.PeakMemoryBytes()), "");
            await MeasurePeerAsync(databases, database, column, points);
            if (column == 0)
            {
                if (options.Lighthouse)
                {
                    Lighthouse = await LighthouseAsync(baseUri, "/", performanceTarget: 90);
                    // The first place of the sitemap: the page a search engine or a shared link leads to.
                    using var pages = new HttpClient { BaseAddress = baseUri };
                    var place = PlaceAddress().Match(await pages.GetStringAsync("/sitemap.xml")).Value;
                    LighthousePlace = await LighthouseAsync(new Uri(place), "a place's page (`/lieux/…`)", performanceTarget: 95);
                }
                await CoverageAnalysisAsync(serverDll, databases.ConnectionString(database.Name));
            }
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, ChildProcess server, string log)
    {
        for (var i = 0; i < 600; i++)
        {
            if (server.HasExited) throw new InvalidOperationException($"The server exited; see {log}:\n{ReadTail(log)}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The server did not become ready; see {log}:\n{ReadTail(log)}");
    }

    private static string ReadTail(string path) => File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(20)) : "";

    private static IEnumerable<Probe> Probes()
    {
        const string point = "ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography";
        // What a round trip costs with the least work at either end (the server's pipeline and a static file; SELECT 1).
        yield return new Probe("roundtrip", "Round trip alone (HTTP: GET /widget.js, a static file; SQL: SELECT 1)",
            _ => new BenchRequest("GET", "/widget.js"), _ => ("SELECT 1", []));
        // The same floor for both APIs' nearest page.
        (string, object[]) NearestSql(QueryPoint p) =>
            ($"SELECT id, nom, latitude, longitude FROM sites WHERE location IS NOT NULL ORDER BY location <-> {point} LIMIT 10",
                [p.Lon, p.Lat]);
        yield return new Probe("nearest", "Nearest 10 sites", p => GraphQL(NearestQuery, new { lat = p.Lat, lon = p.Lon }), NearestSql);
        yield return new Probe("odata", "Nearest 10 sites (OData)", p => new BenchRequest("GET", ODataNearestPath(p)), NearestSql);
        yield return new Probe("within", "Sites within 5 km (first 100, by distance)",
            p => GraphQL(WithinQuery, new { lat = p.Lat, lon = p.Lon }),
            p => ($"SELECT id, nom, latitude, longitude, ST_Distance(location, {point}, false) FROM sites "
                + $"WHERE ST_DWithin(location, {point}, 5000, false) ORDER BY location <-> {point} LIMIT 100", [p.Lon, p.Lat]));
        yield return new Probe("bbox", "Sites in a 9 km box (first 100)",
            p => GraphQL(BBoxQuery, new { w = p.Lon - BoxHalfLon, s = p.Lat - BoxHalfLat, e = p.Lon + BoxHalfLon, n = p.Lat + BoxHalfLat }),
            p => ($"SELECT id, nom, latitude, longitude FROM sites "
                + $"WHERE location_geometry && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY id LIMIT 100",
                [p.Lon - BoxHalfLon, p.Lat - BoxHalfLat, p.Lon + BoxHalfLon, p.Lat + BoxHalfLat]));
        yield return new Probe("commune", "Sites of a commune (first 100)", p => GraphQL(CommuneQuery, new { code = p.Commune }),
            p => ($"SELECT id, nom, latitude, longitude FROM sites WHERE commune_code = $1 ORDER BY id LIMIT 100", [p.Commune]));
        foreach (var z in new[] { 8, 12 })
            yield return new Probe("tile" + z, $"Vector tile z{z} (rendered)", p =>
            {
                var (x, y) = p.Tile(z);
                return new BenchRequest("GET", $"/tiles/sites/{z}/{x}/{y}.mvt");
            }, p =>
            {
                var (x, y) = p.Tile(z);
                return (TilesApi.SitesTileSql(z), [z, x, y]);
            });
    }

    /// <summary>A GraphQL POST, its body serialized before the clock starts.</summary>
    private static BenchRequest GraphQL(string query, object variables) =>
        new("POST", "/graphql", JsonSerializer.SerializeToUtf8Bytes(new { query, variables }));

    private async Task MeasureLatenciesAsync(LoopbackHttpClient client, HttpClient http, NpgsqlDataSource dataSource,
        BenchDatabase database, int column, List<QueryPoint> warmup, List<QueryPoint> points, ChildProcess server)
    {
        // The harness's own HTTP and Npgsql code is JIT-compiled too: warm it up before the first sample, or the first
        // query kind measured also measures the client's tier-0 code.
        var probes = Probes().ToList();
        for (var round = 0; round < 3; round++)
            foreach (var p in warmup)
                foreach (var probe in probes.Where(x => !x.Key.StartsWith("tile", StringComparison.Ordinal)))
                {
                    await TimeHttpAsync(client, probe.Http(p));
                    await TimeSqlAsync(dataSource, probe.Sql(p));
                    if (probe.Key == "nearest") await TimeHttpAsync(http, probe.Http(p));
                }
        var series = probes.Select(probe =>
        {
            if (!probe.Key.StartsWith("tile", StringComparison.Ordinal)) return new Series(probe, warmup, points);
            // Tiles are cached by the server: measure each distinct tile once, none of them seen in the warm-up.
            var z = int.Parse(probe.Key[4..], CultureInfo.InvariantCulture);
            var warmTiles = warmup.Select(p => p.Tile(z)).ToHashSet();
            return new Series(probe, warmup.DistinctBy(p => p.Tile(z)).ToList(),
                points.Where(p => !warmTiles.Contains(p.Tile(z))).DistinctBy(p => p.Tile(z)).ToList());
        }).ToList();
        foreach (var s in series)
            foreach (var p in s.Warm)
            {
                await TimeHttpAsync(client, s.Probe.Http(p));
                await TimeSqlAsync(dataSource, s.Probe.Sql(p));
            }
        await SettleAsync(server);
        // The kinds are measured interleaved, point after point: a transient of the machine (another tenant, the runtime
        // compiling in the background) then falls on every kind alike, not on whichever kind came first. Their order is
        // shuffled at every point: a request answered right after another finds the server's and the database's threads
        // awake, and with a fixed order one kind would always follow the same one.
        var order = new Random(20261201);
        for (var i = 0; i < series.Max(s => s.Measured.Count); i++)
            foreach (var s in series.Where(s => i < s.Measured.Count).OrderBy(_ => order.Next()).ToList())
            {
                var p = s.Measured[i];
                if (s.Probe.Key == "nearest")
                {
                    // The same request through the framework's HttpClient too (see LoopbackHttpClient), each client first
                    // every other point and the SQL between them: no client always follows the other's request.
                    Func<Task> lean = async () => s.Api.Add(await TimeHttpAsync(client, s.Probe.Http(p)));
                    Func<Task> framework = async () => s.ViaHttpClient.Add(await TimeHttpAsync(http, s.Probe.Http(p)));
                    await (i % 2 == 0 ? lean : framework)();
                    s.Sql.Add(await TimeSqlAsync(dataSource, s.Probe.Sql(p)));
                    await (i % 2 == 0 ? framework : lean)();
                    continue;
                }
                // Alternate which goes first, so neither always finds the other's pages in the buffer cache.
                if (i % 2 == 0)
                {
                    s.Api.Add(await TimeHttpAsync(client, s.Probe.Http(p)));
                    s.Sql.Add(await TimeSqlAsync(dataSource, s.Probe.Sql(p)));
                }
                else
                {
                    s.Sql.Add(await TimeSqlAsync(dataSource, s.Probe.Sql(p)));
                    s.Api.Add(await TimeHttpAsync(client, s.Probe.Http(p)));
                }
            }
        foreach (var (probe, api, sql, measured, viaHttpClient) in series.Select(s => (s.Probe, s.Api, s.Sql, s.Measured, s.ViaHttpClient)))
        {
            var via = probe.Key.StartsWith("tile", StringComparison.Ordinal) || probe.Key == "roundtrip" ? "HTTP"
                : probe.Key == "odata" ? "OData"
                : "GraphQL";
            _table.Set(probe.Key + "-api", $"{probe.Label}: {via} p50 / p95 (ms)", column, api.Format(), "");
            _table.Set(probe.Key + "-sql", $"{probe.Label}: raw SQL floor p50 / p95 (ms)", column, sql.Format(),
                probe.Key == "nearest" ? "flat from 5k to 250k" : "");
            _table.Set(probe.Key + "-ratio", $"{probe.Label}: ratio p50 (API / SQL)", column, Ratio(api.P50, sql.P50),
                probe.Key is "nearest" or "odata" ? "≤ 2x" : "");
            Results[(column, probe.Key + "-api-p50")] = api.P50;
            Results[(column, probe.Key + "-sql-p50")] = sql.P50;
            Console.WriteLine($"  {probe.Label,-45} API {api.Format(),-16} SQL {sql.Format(),-16} " +
                              $"ratio {Ratio(api.P50, sql.P50),-6} ({measured.Count} samples)");
            if (probe.Key == "nearest")
            {
                _table.Set("nearest-httpclient", "Nearest 10 sites: GraphQL through .NET HttpClient instead, p50 / p95 (ms)", column,
                    viaHttpClient.Format(), "");
                _table.Set("nearest-httpclient-ratio", "Nearest 10 sites: ratio p50 through .NET HttpClient (API / SQL)", column,
                    Ratio(viaHttpClient.P50, sql.P50), "");
            }
        }
    }

    /// <summary>Figures the target checks read (column, key).</summary>
    public Dictionary<(int Column, string Key), double> Results { get; } = [];

    private static string Ratio(double api, double sql) => double.IsNaN(api) || double.IsNaN(sql) || sql <= 0
        ? "n/a"
        : (api / sql).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>One query kind's warm-up points, measured points and samples.</summary>
    private sealed record Series(Probe Probe, List<QueryPoint> Warm, List<QueryPoint> Measured)
    {
        public Samples Api { get; } = new();
        public Samples Sql { get; } = new();
        public Samples ViaHttpClient { get; } = new();
    }

    /// <summary>
    /// Waits (at most 10 s) until the server and the harness are idle. After a warm-up the runtime compiles the methods it
    /// found hot again, optimised, on background threads (tiered compilation); on 2 cores that work competed with the
    /// first samples, and the first query kind measured came out slower, its SQL floor included.
    /// </summary>
    private static async Task SettleAsync(ChildProcess server)
    {
        for (var i = 0; i < 20; i++)
        {
            var (serverBefore, selfBefore) = (server.CpuTime(), Environment.CpuUsage.TotalTime);
            await Task.Delay(500);
            if (server.CpuTime() - serverBefore <= TimeSpan.FromMilliseconds(20)
                && Environment.CpuUsage.TotalTime - selfBefore <= TimeSpan.FromMilliseconds(20))
            {
                return;
            }
        }
    }

    private static async Task<TimeSpan> TimeHttpAsync(LoopbackHttpClient client, BenchRequest request)
    {
        var bytes = client.Encode(request);
        var watch = Stopwatch.StartNew();
        var response = await client.SendAsync(bytes);
        watch.Stop();
        CheckAnswer(request, response.Status, response.ContentType, response.Body);
        return watch.Elapsed;
    }

    /// <summary>A failed request or a GraphQL error fails the run instead of being measured.</summary>
    private static void CheckAnswer(BenchRequest request, int status, string? contentType, byte[] body)
    {
        if (status is < 200 or > 299)
            throw new InvalidOperationException($"{request.Method} {request.PathAndQuery}: {status} {Encoding.UTF8.GetString(body)}");
        if (contentType?.Contains("json", StringComparison.Ordinal) == true && body.AsSpan().IndexOf("\"errors\""u8) >= 0)
            throw new InvalidOperationException($"{request.PathAndQuery}: {Encoding.UTF8.GetString(body)}");
    }

    private static async Task<TimeSpan> TimeHttpAsync(HttpClient http, BenchRequest benchRequest)
    {
        using var request = benchRequest.ToHttpRequestMessage();
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();
        CheckAnswer(benchRequest, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> TimeSqlAsync(NpgsqlDataSource dataSource, (string Sql, object[] Args) query)
    {
        var watch = Stopwatch.StartNew();
        await using var command = dataSource.CreateCommand(query.Sql);
        foreach (var a in query.Args) command.Parameters.Add(new NpgsqlParameter { Value = a });
        await using var reader = await command.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync()) reader.GetValues(values);
        watch.Stop();
        return watch.Elapsed;
    }

    /// <summary>The OData nearest page: the same four fields as the GraphQL query and the SQL floor.</summary>
    private static string ODataNearestPath(QueryPoint p) => string.Create(CultureInfo.InvariantCulture,
        $"/odata/Sites?$select=Id,Nom,Latitude,Longitude&$top=10"
        + $"&$orderby=geo.distance(Location,geography'SRID=4326;POINT({p.Lon} {p.Lat})')");

    // ---- Throughput (wrk)

    private async Task MeasureThroughputAsync(HttpClient http, Uri baseUri, int column, List<QueryPoint> points, ChildProcess server)
    {
        var get = points.Select(p => "/graphql?query=" + Uri.EscapeDataString(NearestQuery)
            + "&variables=" + Uri.EscapeDataString(JsonSerializer.Serialize(new { lat = p.Lat, lon = p.Lon }))).ToList();
        var getResult = await Wrk.RunAsync(_work, baseUri, Wrk.GetScript(get), options);
        _table.Set("wrk-get", "Throughput, GraphQL nearest 10, GET (output cache): req/s (p50 / p99 ms)", column, getResult.Format(), "");
        Results[(column, "wrk-get")] = getResult.RequestsPerSecond;

        var bodies = points
            .Select(p => JsonSerializer.Serialize(new { query = NearestQuery, variables = new { lat = p.Lat, lon = p.Lon } }))
            .ToList();
        var cpu = server.CpuTime();
        var postResult = await Wrk.RunAsync(_work, baseUri, Wrk.PostScript("/graphql", bodies), options);
        _table.Set("wrk-post-cpu", "GraphQL nearest 10, POST under wrk: server CPU per request (ms)", column,
            Samples.Ms((server.CpuTime() - cpu).TotalMilliseconds / Math.Max(1, postResult.Requests)), "");
        _table.Set("wrk-post", "Throughput, GraphQL nearest 10, POST (computed each time): req/s (p50 / p99 ms)", column,
            postResult.Format(), "≥ 1,500 req/s, ahead of PostGraphile");
        Results[(column, "wrk-post")] = postResult.RequestsPerSecond;

        // One z12 tile in Paris, fetched once first so the run measures the cache.
        var (x, y) = new QueryPoint("75056", 48.8566, 2.3522).Tile(12);
        var tilePath = $"/tiles/sites/12/{x}/{y}.mvt";
        (await http.GetAsync(tilePath)).EnsureSuccessStatusCode();
        var tileResult = await Wrk.RunAsync(_work, baseUri, Wrk.GetScript([tilePath]), options);
        _table.Set("wrk-tile", "Throughput, cached vector tile z12: req/s (p50 / p99 ms)", column, tileResult.Format(), "≥ 5,000 req/s");
        Results[(column, "wrk-tile")] = tileResult.RequestsPerSecond;
        Console.WriteLine($"  wrk GraphQL GET {getResult.Format()}, POST {postResult.Format()}, cached tile {tileResult.Format()}");
    }

    // ---- The peer: PostGraphile 4 on the same database, the nearest sites as a SQL function in a schema of its own.

    private async Task MeasurePeerAsync(BenchDatabases databases, BenchDatabase database, int column, List<QueryPoint> points)
    {
        const string key = "wrk-peer", label = "Throughput, PostGraphile 4.14 nearest 10, POST: req/s (p50 / p99 ms)";
        var peerDirectory = Path.Combine(root, "bench", "peer");
        var cli = Path.Combine(peerDirectory, "node_modules", "postgraphile", "cli.js");
        if (!File.Exists(cli))
        {
            _table.Set(key, label, column, "n/a (bench/peer not installed: npm ci)", "");
            return;
        }
        var port = ChildProcess.FreePort();
        var log = Path.Combine(_work, $"peer-{database.Name}.log");
        var peer = ChildProcess.Start("postgraphile", "node", [cli, "--connection", databases.Url(database.Name),
            "--schema", $"{BenchDatabases.PeerSchema},public", "--append-plugins", "@graphile/postgis", "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture), "--disable-query-log", "--disable-default-mutations"], log,
            new Dictionary<string, string> { ["NODE_ENV"] = "production", ["PGPASSWORD"] = databases.Password }, peerDirectory);
        try
        {
            var baseUri = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
            var ready = false;
            for (var i = 0; i < 300 && !ready && !peer.HasExited; i++)
            {
                try
                {
                    using var probe = await http.PostAsJsonAsync("/graphql", new { query = "{ __typename }" });
                    ready = probe.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                if (!ready) await Task.Delay(200);
            }
            if (!ready) throw new InvalidOperationException($"PostGraphile did not start; see {log}:\n{ReadTail(log)}");
            // The same answer as ours, checked once: fails loudly on a schema mismatch instead of measuring errors.
            var first = points[0];
            using (var check = await http.PostAsJsonAsync("/graphql",
                new { query = PeerNearestQuery, variables = new { lat = first.Lat, lon = first.Lon } }))
            {
                var body = JsonNode.Parse(await check.Content.ReadAsStringAsync())!;
                if (body["errors"] is not null || body["data"]?["nearestSites"]?["nodes"]?.AsArray().Count != 10)
                    throw new InvalidOperationException("PostGraphile answered: " + body.ToJsonString());
            }
            var bodies = points
                .Select(p => JsonSerializer.Serialize(new { query = PeerNearestQuery, variables = new { lat = p.Lat, lon = p.Lon } }))
                .ToList();
            // Warm up (JIT, pool) for a few seconds, then measure.
            await Wrk.RunAsync(_work, baseUri, Wrk.PostScript("/graphql", bodies),
                options with { WrkSeconds = Math.Min(5, options.WrkSeconds) });
            var result = await Wrk.RunAsync(_work, baseUri, Wrk.PostScript("/graphql", bodies), options);
            _table.Set(key, label, column, result.Format(), "");
            _table.Set("mem-peer", "Peak memory, PostGraphile (VmHWM)", column, Mb(peer.PeakMemoryBytes()), "");
            Results[(column, "wrk-peer")] = result.RequestsPerSecond;
            Console.WriteLine($"  wrk PostGraphile POST {result.Format()}");
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            Console.Error.WriteLine("PostGraphile: " + e.Message);
            _table.Set(key, label, column, "failed (see console)", "");
        }
        finally
        {
            await peer.StopAsync();
        }
    }

    // ---- Lighthouse (bench/lighthouse.sh) on pages of the running server.

    [GeneratedRegex(@"performance (\d+) accessibility (\d+)")]
    private static partial Regex LighthouseScores();

    [GeneratedRegex(@"https?://[^<]+/lieux/[^<]+")]
    private static partial Regex PlaceAddress();

    private async Task<(int Performance, int Accessibility)?> LighthouseAsync(Uri page, string label, int performanceTarget)
    {
        var script = Path.Combine(root, "bench", "lighthouse.sh");
        var info = new ProcessStartInfo("bash", [script, page + ""]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        var match = LighthouseScores().Match(await stdout);
        (int Performance, int Accessibility)? scores = null;
        if (match.Success)
        {
            scores = (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            var details = string.Join("; ", (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
            var where = label == "/" ? "`/`" : label;
            _notes.Add($"Lighthouse 12.2.3 on {where} (real catalogue, Chromium headless, " +
                       "default mobile profile with simulated throttling): " +
                       $"performance **{scores.Value.Performance}** (target ≥ {performanceTarget}), " +
                       $"accessibility **{scores.Value.Accessibility}** (target 100)" +
                       (details.Length > 0 ? $"; {details}." : "."));
        }
        else
        {
            _notes.Add($"Lighthouse on {label}: not measured ("
                + (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() + ").");
        }
        Console.WriteLine("  " + _notes[^1]);
        return scores;
    }

    public (int Performance, int Accessibility)? Lighthouse { get; private set; }

    public (int Performance, int Accessibility)? LighthousePlace { get; private set; }

    // ---- National coverage analysis: timed once the analysis (built in parallel) has a command-line verb.

    private async Task CoverageAnalysisAsync(string serverDll, string connectionString)
    {
        var help = await RunCaptureAsync("dotnet", [serverDll, "help"]);
        if (!Regex.IsMatch(help.Output, @"^\s*gaps\b", RegexOptions.Multiline))
        {
            _notes.Add("National coverage analysis time: n/a (no `gaps` command yet).");
            return;
        }
        var watch = Stopwatch.StartNew();
        var run = await RunCaptureAsync("dotnet", [serverDll, "gaps", "--departement", "all", "--format", "csv",
            "--out", Path.Combine(Path.GetTempPath(), "inclusionmap-bench-gaps.csv"), "--connection", connectionString]);
        watch.Stop();
        _notes.Add(run.Code == 0
            ? $"National coverage analysis (`inclusionmap gaps`, real catalogue, process start included): "
                + $"{watch.Elapsed.TotalSeconds:0.0} s."
            : $"National coverage analysis: `inclusionmap gaps` failed with exit code {run.Code}.");
    }

    private static async Task<(int Code, string Output)> RunCaptureAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Mb(long? bytes) =>
        bytes is { } b ? (b / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MB" : "n/a";

    public IReadOnlyList<string> TargetSummary(IReadOnlyList<string> labels)
    {
        var lines = new List<string>();
        string Check(bool ok) => ok ? "met" : "**not met**";
        var columns = Enumerable.Range(0, labels.Count).ToList();
        var ratios = columns.Select(c => Results.GetValueOrDefault((c, "nearest-api-p50"), double.NaN)
            / Results.GetValueOrDefault((c, "nearest-sql-p50"), double.NaN)).ToList();
        lines.Add($"Nearest 10 through GraphQL within 2x raw SQL p50 at every size: {Check(ratios.All(r => r <= 2))} " +
                  $"({string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture) + "x"))}).");
        var odata = columns.Select(c => Results.GetValueOrDefault((c, "odata-api-p50"), double.NaN)
            / Results.GetValueOrDefault((c, "odata-sql-p50"), double.NaN)).ToList();
        lines.Add($"Nearest 10 through OData within 2x raw SQL p50 at every size: {Check(odata.All(r => r <= 2))} " +
                  $"({string.Join(", ", odata.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture) + "x"))}).");
        var floors = columns.Select(c => Results.GetValueOrDefault((c, "nearest-sql-p50"), double.NaN)).ToList();
        lines.Add($"Nearest 10 SQL floor flat from the real size to the largest (within 1.5x): " +
                  $"{Check(floors.Max() <= 1.5 * floors.Min())} ({string.Join(" → ", floors.Select(Samples.Ms))} ms).");
        var gets = columns.Select(c => Results.GetValueOrDefault((c, "wrk-post"), double.NaN)).ToList();
        lines.Add($"GraphQL nearest 10 ≥ 1,500 req/s (POST) at every size: {Check(gets.All(g => g >= 1500))} " +
                  $"({string.Join(", ", gets.Select(g => g.ToString("N0", CultureInfo.InvariantCulture)))}).");
        var ahead = columns.All(c =>
            Results.GetValueOrDefault((c, "wrk-post"), 0) > Results.GetValueOrDefault((c, "wrk-peer"), double.MaxValue));
        lines.Add($"GraphQL nearest 10 ahead of PostGraphile at every size: {Check(ahead)}.");
        var tiles = columns.Select(c => Results.GetValueOrDefault((c, "wrk-tile"), double.NaN)).ToList();
        lines.Add($"Cached tiles ≥ 5,000 req/s: {Check(tiles.All(t => t >= 5000))} " +
                  $"({string.Join(", ", tiles.Select(t => t.ToString("N0", CultureInfo.InvariantCulture)))}).");
        if (Lighthouse is { } l)
            lines.Add($"Lighthouse performance ≥ 90: {Check(l.Performance >= 90)} ({l.Performance}); "
                + $"accessibility 100: {Check(l.Accessibility == 100)} ({l.Accessibility}).");
        if (LighthousePlace is { } p)
            lines.Add($"Lighthouse on a place's page, performance ≥ 95: {Check(p.Performance >= 95)} ({p.Performance}); "
                + $"accessibility 100: {Check(p.Accessibility == 100)} ({p.Accessibility}).");
        return lines;
    }

    public IReadOnlyList<string> Columns => _table.Columns;
}
