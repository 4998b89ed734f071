using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace InclusionMap.Server.Tests.Resilience;

/// <summary>
/// PostgreSQL restarted under load (<c>pg_ctl restart -m fast</c>) on a private cluster of this test, never the run's
/// shared one: the real server on it, <see cref="Clients"/> clients sending GraphQL and OData requests in a loop (site
/// searches through SiteQuery, territories and the OData general path through EF Core), and <c>/health</c> polled
/// throughout. A restart may cost at most the requests in flight when it happens (one per client), every request sent
/// after it succeeds, and <c>/health</c> says 503 while the database is down and 200 again after, with no server restart.
/// Then an outage: with the database stopped, reads answer 503 with <c>Retry-After</c> once the reconnection wait
/// (<see cref="ReconnectWaitSeconds"/>) is over, and everything answers again when it is back.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DatabaseRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 16;
    private const int ReconnectWaitSeconds = 3;

    private readonly string _state = Path.Combine(Path.GetTempPath(), "im-restart-" + Guid.NewGuid().ToString("N")[..8]);
    private PostgresCluster _cluster = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    private sealed record Outcome(string Kind, TimeSpan Start, TimeSpan End, int Status, bool Ok, string? Detail);

    [Fact]
    public async Task A_restart_costs_at_most_the_requests_in_flight_health_says_503_then_200_and_an_outage_answers_503()
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentQueue<Outcome>();
        var health = new ConcurrentQueue<(TimeSpan At, int Status)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Clients).Select(i => Task.Run(() => ClientAsync(i, clock, outcomes, stop.Token))).ToList();
        var poll = Task.Run(() => HealthAsync(clock, health, stop.Token));

        // Every client busy and the pool full of connections that the restart will kill (the first requests compile plans).
        for (var i = 0; i < 600 && outcomes.Count(o => o.Ok) < 4 * Clients; i++) await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var restartStart = clock.Elapsed;
        await _cluster.RestartAsync();
        var restartEnd = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(4));
        await stop.CancelAsync();
        await Task.WhenAll(load.Append(poll));

        var all = outcomes.ToList();
        var failures = all.Where(o => !o.Ok).ToList();
        var after = all.Where(o => o.Start > restartEnd).ToList();
        var inFlight = all.Count(o => o.Start <= restartStart && o.End >= restartStart);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{all.Count} requests, {failures.Count} failed; {inFlight} in flight at the restart; "
            + $"restart took {(restartEnd - restartStart).TotalMilliseconds:0} ms; {after.Count} requests after it, "
            + $"{after.Count(o => !o.Ok)} failed; slowest request {all.Max(o => o.End - o.Start).TotalMilliseconds:0} ms"));
        foreach (var kind in all.GroupBy(o => o.Kind))
            output.WriteLine($"  {kind.Key}: {kind.Count()} requests, {kind.Count(o => !o.Ok)} failed");
        foreach (var failure in failures.Take(20))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  failed {failure.Kind} at {failure.Start.TotalMilliseconds:0}-{failure.End.TotalMilliseconds:0} ms: "
                + $"{failure.Status} {failure.Detail}"));
        output.WriteLine("health: " + string.Join(", ", Transitions(health)));

        Assert.True(all.Count(o => o.End < restartStart && o.Ok) >= 4 * Clients, "the load ran before the restart");
        Assert.True(after.Count >= Clients, $"only {after.Count} requests after the restart");
        Assert.True(failures.Count <= Clients, $"{failures.Count} requests failed; at most the {Clients} in flight may");
        Assert.DoesNotContain(after, o => !o.Ok);
        var statuses = health.ToList();
        Assert.Contains(statuses, h => h.Status == 503 && h.At >= restartStart);
        var firstDown = statuses.First(h => h.Status == 503 && h.At >= restartStart).At;
        Assert.Contains(statuses, h => h.Status == 200 && h.At > firstDown);
        Assert.Equal(200, statuses[^1].Status);
        Assert.All(statuses, h => Assert.True(h.Status is 200 or 503, $"/health answered {h.Status}"));

        await An_outage_answers_503_and_everything_answers_again_once_the_database_is_back();
    }

    private async Task An_outage_answers_503_and_everything_answers_again_once_the_database_is_back()
    {
        string[] reads =
        [
            "/odata/Sites?$select=Id,Nom&$top=3&$orderby=geo.distance(Location,geography'SRID=4326;POINT(2.35 48.85)')",
            "/odata/Departements?$top=2",
            "/tiles/sites/12/2075/1409.mvt",
            "/coverage/23.csv",
        ];
        await _cluster.StopAsync();
        foreach (var url in reads)
        {
            var watch = Stopwatch.StartNew();
            using var response = await _http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"database stopped: {url} → {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms: {body}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            // The problem's code, or OData's own error format and vocabulary; the trace id either way.
            Assert.Matches("\"code\":\"(DATABASE_UNAVAILABLE|DatabaseUnavailable)\"", body);
            Assert.Matches("\"traceId\":\"([0-9a-f]{32}|[0-9A-Z]+:[0-9A-F]+)\"", body);
            // It waited for the database, in vain, then said so: no longer than the wait and the answer.
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(ReconnectWaitSeconds - 0.5),
                TimeSpan.FromSeconds(ReconnectWaitSeconds + 10));
        }
        using (var health = await _http.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("5", health.Headers.GetValues("Retry-After").Single());
            using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            Assert.Equal("unreachable", body.RootElement.GetProperty("database").GetString());
            Assert.Equal("DATABASE_UNAVAILABLE", body.RootElement.GetProperty("code").GetString());
            Assert.Matches("^([0-9a-f]{32}|[0-9A-Z]+:[0-9A-F]+)$", body.RootElement.GetProperty("traceId").GetString());
        }

        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(_state, Durable: false));
        foreach (var url in reads) Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health")).StatusCode);
    }

    /// <summary>One client: the next request as soon as the last one is answered, rotating through the kinds of read.</summary>
    private async Task ClientAsync(int client, Stopwatch clock, ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        var random = new Random(client);
        for (var i = client; !stop.IsCancellationRequested; i++)
        {
            var (kind, request) = Request(i % 4, random);
            var start = clock.Elapsed;
            try
            {
                using var response = await _http.SendAsync(request, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var ok = response.StatusCode == HttpStatusCode.OK
                    && !(kind.StartsWith("graphql", StringComparison.Ordinal) && body.Contains("\"errors\"", StringComparison.Ordinal));
                var detail = ok ? null : body[..Math.Min(body.Length, 300)];
                outcomes.Enqueue(new Outcome(kind, start, clock.Elapsed, (int)response.StatusCode, ok, detail));
            }
            catch (HttpRequestException e)
            {
                outcomes.Enqueue(new Outcome(kind, start, clock.Elapsed, 0, false, e.Message));
            }
        }
    }

    private static (string Kind, HttpRequestMessage Request) Request(int kind, Random random)
    {
        var lat = (43 + random.NextDouble() * 6).ToString("0.0000", CultureInfo.InvariantCulture);
        var lon = (-1 + random.NextDouble() * 7).ToString("0.0000", CultureInfo.InvariantCulture);
        return kind switch
        {
            0 => ("graphql-sites",
                GraphQL($$"""{"query":"{ sites(near: {latitude: {{lat}}, longitude: {{lon}}}, first: 5) { nodes { id nom } } }"}""")),
            1 => ("graphql-departements", GraphQL($$"""{"query":"{ departements { code name } }"}""")),
            2 => ("odata-nearest", new HttpRequestMessage(HttpMethod.Get,
                $"/odata/Sites?$select=Id,Nom&$top=5&$orderby=geo.distance(Location,geography'SRID=4326;POINT({lon} {lat})')")),
            _ => ("odata-general", new HttpRequestMessage(HttpMethod.Get,
                $"/odata/Sites?$filter=Latitude gt {lat}&$select=Id,Nom,CodePostal&$orderby=Id&$top=5&$count=true")),
        };
    }

    private static HttpRequestMessage GraphQL(string body) =>
        new(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private async Task HealthAsync(Stopwatch clock, ConcurrentQueue<(TimeSpan, int)> statuses, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var response = await _http.GetAsync("/health", CancellationToken.None);
            statuses.Enqueue((clock.Elapsed, (int)response.StatusCode));
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>The health answers as runs: "200 ×40 (0-900 ms), 503 ×5 (…)".</summary>
    private static IEnumerable<string> Transitions(IEnumerable<(TimeSpan At, int Status)> statuses)
    {
        var runs = new List<(int Status, int Count, TimeSpan From, TimeSpan To)>();
        foreach (var (at, status) in statuses)
            if (runs.Count > 0 && runs[^1].Status == status) runs[^1] = runs[^1] with { Count = runs[^1].Count + 1, To = at };
            else runs.Add((status, 1, at, at));
        return runs.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Status} ×{r.Count} ({r.From.TotalMilliseconds:0}-{r.To.TotalMilliseconds:0} ms)"));
    }

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(_state, Durable: false));
        await CatalogueRoles.PrepareAsync(_cluster, CatalogueSettings.DatabaseName, CatalogueRoles.DefaultReaderStatementTimeout);
        var settings = new CatalogueSettings
        {
            ConnectionString = _cluster.ConnectionString(CatalogueSettings.DatabaseName, 20, CatalogueRoles.Owner),
            ReadConnectionString = _cluster.ConnectionString(CatalogueSettings.DatabaseName, 100, CatalogueRoles.Reader),
            StateDirectory = _state,
            DataDirectory = TestCluster.DataDirectory,
        };
        // The clients all come from one address and send thousands of searches: the budgets have their own tests (Limits/).
        _app = InclusionMapApp.Build(settings, ["--urls", "http://127.0.0.1:0", "--environment", "Testing",
            $"--{ReadRetryOptions.Section}:{nameof(ReadRetryOptions.ReconnectWaitSeconds)}={ReconnectWaitSeconds}",
            "--InclusionMap:RateLimits:Search:PermitLimit=1000000", "--InclusionMap:RateLimits:Analysis:PermitLimit=1000000"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .First();
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients + 4 })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var state = _app.Services.GetRequiredService<CatalogueState>();
        // Generous: the seed imports the real open data while other test classes share the machine.
        for (var i = 0; !state.Ready && i < 6000; i++) await Task.Delay(100);
        if (!state.Ready) throw new InvalidOperationException($"Server not ready: {state.Phase} {state.Failure}");
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (_cluster is not null) await _cluster.StopAsync();
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
