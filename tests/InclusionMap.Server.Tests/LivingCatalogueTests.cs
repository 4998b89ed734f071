using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Data.Sources;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using Xunit.Abstractions;

namespace InclusionMap.Server.Tests;

/// <summary>
/// A producer played by a local HTTP server publishes the real France services list, then a version with places
/// renamed, two removed and one added, then the same again (304), a broken file, a file with most places missing, then
/// the first version again; the catalogue follows through <see cref="SourceSync"/> while the real server serves it.
/// </summary>
public sealed class LivingCatalogueTests(LivingServerFixture server, ITestOutputHelper output) : IClassFixture<LivingServerFixture>
{
    private const string Dataset = "france-services_liste-fs";
    private const string Name = "france-services";
    private static readonly string RealFile = Path.Combine(TestCluster.DataDirectory, "lieux", "2024-08-01_france-services_liste-fs.csv");

    [Fact]
    public async Task A_source_is_followed_through_changes_removals_a_304_a_broken_and_a_truncated_file_and_a_return()
    {
        await using var producer = await ProducerServer.StartAsync();
        await using var owner = CatalogueDatabase.CreateDataSource(server.OwnerConnectionString);
        using var http = RemoteFile.CreateHttpClient();
        var sync = new SourceSync(owner, http, NullLogger.Instance);

        // The declared source moves to the local producer: removed, then added again with the new URL.
        await using (var db = CatalogueDatabase.CreateContext(owner))
        {
            Assert.True(await SourceRegistry.RemoveAsync(db, Name, default));
            await SourceRegistry.AddAsync(db, new CatalogueSource
            {
                Name = Name, Url = producer.Url("liste-fs.csv"), Format = "france-services-csv", Dataset = Dataset,
                Attribution = "France services — ANCT (Licence Ouverte 2.0)",
            }, default);
        }

        // Version 1: the file the seed loaded. Read, nothing else.
        var original = await File.ReadAllBytesAsync(RealFile);
        producer.Publish("liste-fs.csv", original);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var v1 = await sync.SyncAsync(Name, new SyncOptions(), default);
        output.WriteLine($"version 1 (2845 records, all known): {watch.ElapsedMilliseconds} ms");
        Assert.Equal(SourceStatus.Applied, v1.Status);
        var file1 = v1.Report!.Files.Single();
        Assert.Equal(2845, file1.Read);
        Assert.Equal((0, 0, 0, 0), (file1.Inserted, file1.Updated, file1.Retired, file1.Restored));
        Assert.Equal(file1.Read - file1.Rejected, file1.Unchanged);

        // Five places of the Creuse whose site holds only their France services record: three renamed, two removed.
        var places = await SingleSourcePlacesAsync("23");
        Assert.True(places.Count >= 5, $"{places.Count} single-source France services in the Creuse");
        var renamed = places.Take(3).ToList();
        var removed = places.Skip(3).Take(2).ToList();
        var rows = ReadCsv(original);
        var header = rows[0];
        var nameColumn = Array.IndexOf(header, "lib_fs");
        var v2Rows = rows.Where(r => !removed.Any(p => p.SourceId == r[0])).Select(r => (string[])r.Clone()).ToList();
        foreach (var row in v2Rows.Where(r => renamed.Any(p => p.SourceId == r[0]))) row[nameColumn] += " (nouveau nom)";
        var added = (string[])rows.First(r => r[0] == renamed[0].SourceId).Clone();
        added[0] = "990001";
        added[nameColumn] = "France services de démonstration ajoutée";
        var latitude = Array.IndexOf(header, "latitude");
        added[latitude] = (double.Parse(added[latitude], CultureInfo.InvariantCulture) + 0.02).ToString(CultureInfo.InvariantCulture);
        v2Rows.Add(added);
        var v2 = WriteCsv(v2Rows);

        var before = await SnapshotAsync();
        var historyBefore = await server.ScalarAsync<long>("SELECT count(*) FROM site_history");
        producer.Publish("liste-fs.csv", v2);
        var removedTiles = await TileIdsAsync(removed[0].SiteId);
        Assert.Contains(removed[0].SiteId, removedTiles);
        watch.Restart();
        var (result2, seen) = await WhileReadingAsync(() => sync.SyncAsync(Name, new SyncOptions(), default));
        output.WriteLine($"version 2 (3 changed, 2 removed, 1 added) under 4 readers: {watch.ElapsedMilliseconds} ms; readers: "
            + $"{seen.Snapshots.Count} reads, p50 {Percentile(seen.Latencies, 0.5):0} ms, p95 {Percentile(seen.Latencies, 0.95):0} ms, "
            + $"max {seen.Latencies.Max():0} ms");
        var after = await SnapshotAsync();

        Assert.Equal(SourceStatus.Applied, result2.Status);
        var file2 = result2.Report!.Files.Single();
        Assert.Equal((2844, 1, 3, 2, 0, file1.Rejected),
            (file2.Read, file2.Inserted, file2.Updated, file2.Retired, file2.Restored, file2.Rejected));
        // Readers during the sync saw the catalogue before or after it, never a mix; some of them read while it ran.
        Assert.NotEqual(before, after);
        Assert.All(seen.Snapshots, s => Assert.True(s == before || s == after, "a reader saw a half-applied sync: " + s));
        Assert.Equal(0, seen.Failures);
        Assert.True(seen.Snapshots.Count > 0);

        // History: each renamed site its name, each removed one its retirement, the new one its creation; one run, one actor.
        var run2 = result2.RunId!.Value;
        foreach (var place in renamed)
        {
            var changes = await HistoryAsync(place.SiteId, run2);
            var change = Assert.Single(changes);
            Assert.Equal(("nom", "sync", "sync:france-services", Dataset), (change.Field, change.Cause, change.Actor, change.Dataset));
            Assert.Equal(change.OldValue + " (nouveau nom)", change.NewValue);
        }
        foreach (var place in removed)
        {
            var change = Assert.Single(await HistoryAsync(place.SiteId, run2));
            Assert.Equal(("retiredAt", "retirement", (string?)null), (change.Field, change.Cause, change.OldValue));
            Assert.NotNull(change.NewValue);
            // Hidden from every API, shown on request with its retirement, and unknown ids stay unknown.
            Assert.Equal(JsonValueKind.Null,
                (await GraphQLAsync($"{{ site(id: \"{place.SiteId}\") {{ id }} }}")).GetProperty("site").ValueKind);
            var retired = (await GraphQLAsync($"{{ site(id: \"{place.SiteId}\", includeRetired: true) {{ id retiredAt }} }}"))
                .GetProperty("site");
            Assert.NotEqual(JsonValueKind.Null, retired.GetProperty("retiredAt").ValueKind);
            var odata = await server.Client.GetFromJsonAsync<JsonObject>($"/odata/Sites?$filter=Id eq {place.SiteId}&$select=Id");
            Assert.Empty(odata!["value"]!.AsArray());
            await using var db = CatalogueDatabase.CreateContext(server.DataSource);
            Assert.DoesNotContain(place.SiteId, await Data.Export.CatalogueExporter.Sites(db, "23").Select(s => s.Id).ToListAsync());
        }
        // The tile is drawn anew after the sync (a new catalogue version), without the retired place.
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            while ((await TileIdsAsync(removed[0].SiteId)).Contains(removed[0].SiteId)) await Task.Delay(500, patience.Token);
        var lastConfirmed =
            await server.Client.GetFromJsonAsync<JsonObject>($"/odata/Sites({renamed[0].SiteId})?$select=LastConfirmed,DateMaj");
        Assert.True(DateTimeOffset.Parse((string)lastConfirmed!["LastConfirmed"]!, CultureInfo.InvariantCulture)
            > DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal("2024-08-01", (string)lastConfirmed["DateMaj"]!);
        Assert.Equal(JsonValueKind.Null,
            (await GraphQLAsync("{ site(id: \"987654321\", includeRetired: true) { id } }")).GetProperty("site").ValueKind);
        var addedSite =
            await server.ScalarAsync<long>("SELECT site_id FROM site_sources WHERE dataset = $1 AND source_id = '990001'", Dataset);
        var creation = Assert.Single(await HistoryAsync(addedSite, run2));
        Assert.Equal(((string?)null, "sync", "France services de démonstration ajoutée"),
            (creation.Field, creation.Cause, creation.NewValue));
        Assert.Equal(renamed.Count + removed.Count + 1,
            await server.ScalarAsync<long>("SELECT count(*) FROM site_history WHERE run_id = $1", run2));
        Assert.True(await server.ScalarAsync<long>("SELECT count(*) FROM site_history") > historyBefore);

        // The same file again: one request answered 304, nothing written.
        var state = await CatalogueStateAsync();
        var result3 = await sync.SyncAsync(Name, new SyncOptions(), default);
        Assert.Equal(SourceStatus.Unchanged, result3.Status);
        Assert.Equal(304, producer.Answers.Last().Status);
        Assert.Equal(state, await CatalogueStateAsync());

        // A broken file: refused, the source flagged, nothing changed.
        producer.Publish("liste-fs.csv", Encoding.UTF8.GetBytes("<!doctype html><html><body>Erreur interne</body></html>\n"));
        var broken = await sync.SyncAsync(Name, new SyncOptions(), default);
        Assert.Equal(SourceStatus.Flagged, broken.Status);
        Assert.Contains("refused", broken.Message);
        Assert.Equal(state, await CatalogueStateAsync());

        // Most places missing: refused for retiring too many, reported, the source flagged, nothing changed.
        var kept = v2Rows.Take(101).ToList();
        var active =
            await server.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE dataset = $1 AND retired_at IS NULL", Dataset);
        var held = await server.ScalarAsync<long>(
            "SELECT count(*) FROM site_sources WHERE dataset = $1 AND retired_at IS NULL AND source_id = ANY($2)",
            Dataset, kept.Skip(1).Select(r => r[0]).ToArray());
        producer.Publish("liste-fs.csv", WriteCsv(kept));
        var truncated = await sync.SyncAsync(Name, new SyncOptions(), default);
        Assert.Equal(SourceStatus.Flagged, truncated.Status);
        Assert.Contains($"would retire {active - held} of the {active} records of {Dataset}", truncated.Message);
        var runs = await server.ScalarAsync<long>("SELECT count(*) FROM import_runs WHERE NOT applied AND source = $1", Name);
        Assert.Equal(1, runs);
        Assert.Equal(state.Sites, (await CatalogueStateAsync()).Sites);
        Assert.Equal(state.History, (await CatalogueStateAsync()).History);
        var report = await server.Client.GetFromJsonAsync<JsonObject>($"/sources/{Name}/report.json");
        Assert.Equal(100, (int)report!["files"]![0]!["read"]!);
        var listed = (await GraphQLAsync("{ sources { name status message retired reportUrl } }")).GetProperty("sources")
            .EnumerateArray().Single(s => s.GetProperty("name").GetString() == Name);
        Assert.Equal("flagged", listed.GetProperty("status").GetString());
        var page = await server.Client.GetStringAsync("/sources");
        Assert.Contains("À vérifier : fichier refusé, rien n&#x27;a changé", page);
        Assert.Contains($"/sources/{Name}/report.json", page);

        // The first version again: the removed places come back with their ids, the added one is retired.
        producer.Publish("liste-fs.csv", original);
        var back = await sync.SyncAsync(Name, new SyncOptions(), default);
        Assert.Equal(SourceStatus.Applied, back.Status);
        var file5 = back.Report!.Files.Single();
        Assert.Equal((0, 3, 1, 2), (file5.Inserted, file5.Updated, file5.Retired, file5.Restored));
        Assert.Equal(before, await SnapshotAsync());
        foreach (var place in removed)
        {
            var change = Assert.Single(await HistoryAsync(place.SiteId, back.RunId!.Value));
            Assert.Equal(("retiredAt", "restoration", (string?)null), (change.Field, change.Cause, change.NewValue));
            var site = (await GraphQLAsync($"{{ site(id: \"{place.SiteId}\") {{ id lastConfirmed dateMaj retiredAt "
                    + "history(first: 2) { nodes { cause } } } }"))
                .GetProperty("site");
            Assert.Equal(place.SiteId.ToString(CultureInfo.InvariantCulture), site.GetProperty("id").GetString());
            Assert.Equal(["restoration", "retirement"],
                site.GetProperty("history").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("cause").GetString()));
            Assert.True(site.GetProperty("lastConfirmed").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-10));
            Assert.Equal("2024-08-01", site.GetProperty("dateMaj").GetString());
        }
    }

    [Fact]
    public async Task A_scheduled_sync_of_an_unreachable_source_marks_it_once_per_slot_and_changes_nothing()
    {
        await using var producer = await ProducerServer.StartAsync();
        await using var owner = CatalogueDatabase.CreateDataSource(server.OwnerConnectionString);
        var state = await CatalogueStateAsync();
        await using (var db = CatalogueDatabase.CreateContext(owner))
            await SourceRegistry.AddAsync(db, new CatalogueSource
            {
                // Nothing is published under this name: every attempt gets a 404. Due every fifth second.
                Name = "absent", Url = producer.Url("absent.csv"), Format = "schema-v1-csv", Dataset = "absent", Schedule = "*/5 * * * * *",
            }, default);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            while (producer.Answers.IsEmpty) await Task.Delay(100, patience.Token);
        // The server's own scheduler tried, once; the next slot is five seconds later (the check runs every second).
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Single(producer.Answers);
        var status = await server.ScalarAsync<string>("SELECT status || ': ' || message FROM sources WHERE name = 'absent'");
        Assert.StartsWith("unreachable: ", status);
        Assert.Contains("404", status);
        await using (var db = CatalogueDatabase.CreateContext(owner)) await SourceRegistry.RemoveAsync(db, "absent", default);
        Assert.Equal(state.Sites, (await CatalogueStateAsync()).Sites);
        Assert.Equal(state.History, (await CatalogueStateAsync()).History);
    }

    /// <summary>What the catalogue holds, to compare before and after a sync that must write nothing.</summary>
    private async Task<(long Sites, long Sources, long History, long Runs, string Seen)> CatalogueStateAsync() => (
        await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE retired_at IS NULL"),
        await server.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE retired_at IS NULL"),
        await server.ScalarAsync<long>("SELECT count(*) FROM site_history"),
        await server.ScalarAsync<long>("SELECT count(*) FROM import_runs"),
        await server.ScalarAsync<string>(
            "SELECT max(last_seen_at)::text || max(updated_at)::text FROM site_sources x JOIN sites s ON s.id = x.site_id"));

    private async Task<List<(string SourceId, long SiteId)>> SingleSourcePlacesAsync(string departement)
    {
        await using var command = server.DataSource.CreateCommand("""
            SELECT x.source_id, x.site_id FROM site_sources x JOIN sites s ON s.id = x.site_id
             WHERE x.dataset = $1 AND s.departement_code = $2
               AND (SELECT count(*) FROM site_sources y WHERE y.site_id = x.site_id) = 1
             ORDER BY x.source_id::int
            """);
        command.Parameters.Add(new() { Value = Dataset });
        command.Parameters.Add(new() { Value = departement });
        var places = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) places.Add((reader.GetString(0), reader.GetInt64(1)));
        return places;
    }

    private sealed record Change(string? Field, string Cause, string Actor, string? Dataset, string? OldValue, string? NewValue);

    private async Task<List<Change>> HistoryAsync(long siteId, long runId)
    {
        await using var command = server.DataSource.CreateCommand(
            "SELECT field, cause, actor, dataset, old_value, new_value FROM site_history WHERE site_id = $1 AND run_id = $2 ORDER BY id");
        command.Parameters.Add(new() { Value = siteId });
        command.Parameters.Add(new() { Value = runId });
        var changes = new List<Change>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            changes.Add(new(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        return changes;
    }

    private const string CreuseQuery = "{ sites(departementCode: \"23\", first: 100) { nodes { id nom } } }";

    /// <summary>The Creuse's sites as one reader sees them (one statement: one snapshot of the catalogue).</summary>
    private async Task<string> SnapshotAsync(HttpClient? client = null)
    {
        var data = await GraphQLAsync(CreuseQuery, client);
        return string.Join("\n", data.GetProperty("sites").GetProperty("nodes").EnumerateArray()
            .Select(n => n.GetProperty("id").GetString() + " " + n.GetProperty("nom").GetString()));
    }

    private async Task<JsonElement> GraphQLAsync(string query, HttpClient? client = null)
    {
        // POST: never answered from the output cache.
        using var response = await (client ?? server.Client).PostAsJsonAsync("/graphql", new { query });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return body.GetProperty("data").Clone();
    }

    private sealed record Readings(List<string> Snapshots, List<double> Latencies, int Failures);

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, q * sorted.Count)];
    }

    /// <summary>The site ids of the detailed sites tile (zoom 14) holding the site <paramref name="siteId"/>.</summary>
    private async Task<List<long>> TileIdsAsync(long siteId)
    {
        var lat = await server.ScalarAsync<double>("SELECT latitude FROM sites WHERE id = $1", siteId);
        var lon = await server.ScalarAsync<double>("SELECT longitude FROM sites WHERE id = $1", siteId);
        const int z = 14;
        var n = Math.Pow(2, z);
        var x = (int)((lon + 180) / 360 * n);
        var y = (int)((1 - Math.Log(Math.Tan(lat * Math.PI / 180) + 1 / Math.Cos(lat * Math.PI / 180)) / Math.PI) / 2 * n);
        await using var stream = await server.Client.GetStreamAsync($"/tiles/sites/{z}/{x}/{y}.mvt");
        var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));
        return tile.Layers.SelectMany(l => l.Features)
            .Select(f => Convert.ToInt64(f.Attributes["id"], CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Runs <paramref name="work"/> while four readers read the Creuse again and again; what they saw meanwhile.</summary>
    private async Task<(T Result, Readings Seen)> WhileReadingAsync<T>(Func<Task<T>> work)
    {
        using var stop = new CancellationTokenSource();
        var snapshots = new System.Collections.Concurrent.ConcurrentBag<string>();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            while (!stop.IsCancellationRequested)
            {
                var read = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    snapshots.Add(await SnapshotAsync(client));
                    latencies.Add(read.Elapsed.TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or Xunit.Sdk.XunitException or JsonException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        var result = await work();
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return (result, new Readings(snapshots.ToList(), latencies.ToList(), failures));
    }

    private static List<string[]> ReadCsv(byte[] content) =>
        Core.Csv.Read(new StreamReader(new MemoryStream(content))).Select(r => r.Fields).ToList();

    private static byte[] WriteCsv(List<string[]> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = Core.Csv.Exact(text))
            foreach (var row in rows) Core.Csv.WriteRow(csv, row);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
