using InclusionMap.Core.Coverage;
using InclusionMap.Core.Schema;
using NetTopologySuite.Geometries;
using Npgsql;

namespace InclusionMap.Data.Analysis;

/// <summary>
/// Coverage-gap analysis (docs/coverage.md). PostGIS finds the nearest matching site of each commune (KNN on the sites'
/// GiST index) and every commune–site pair within the accessibility catchment (<c>ST_DWithin</c>); C# only weighs them:
/// E2SFCA accessibility, summary, ranked gaps and the greedy maximal-covering suggestions. The analysis only reads, in
/// one read-only snapshot: it runs once more on a fresh connection when its connection broke (<see cref="ReadRetry"/>).
/// </summary>
public sealed class CoverageAnalysis(NpgsqlDataSource dataSource, ReadRetry? retry = null)
{
    public const double DefaultThresholdMeters = 10_000;
    public const double MaxThresholdMeters = 100_000;
    public const int MaxSuggestions = 20;
    public const int MaxCommunes = 5_000;
    /// <summary>Supply of a site whose opening hours are unknown or unreadable: a typical half-time service point.</summary>
    public const double DefaultWeeklyHours = 20;
    /// <summary>
    /// The API's read-only role stops a statement after a few seconds; the analysis of many communes (up to the whole
    /// country from the command line) may legitimately take longer, so it raises the limit for its own transaction.
    /// </summary>
    public static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(60);

    private const string SiteFilter = """
        s.location IS NOT NULL AND s.retired_at IS NULL
        AND ($2::text[] IS NULL OR s.services && $2) AND ($3::text[] IS NULL OR s.publics_specifiquement_adresses && $3)
        AND ($4::text[] IS NULL OR s.modalites_accompagnement && $4) AND ($6::text[] IS NULL OR s.dispositif_programmes_nationaux && $6)
        """;

    /// <summary>The studied communes: $1 département, $5 commune codes (either may be null).</summary>
    public const string StudiedCommunesSql = """
        SELECT c.code, c.nom, coalesce(c.population, 0), coalesce(c.people_in_need, 0), c.illectronism_rate, c.centre
          FROM communes c
         WHERE c.centre IS NOT NULL AND ($1::text IS NULL OR c.departement_code = $1) AND ($5::text[] IS NULL OR c.code = ANY($5))
         ORDER BY c.code
        """;

    /// <summary>The nearest matching site of each commune of $5 that has none within the catchment: KNN (<c>&lt;-&gt;</c>) on
    /// the sites' geography index, any distance, across département borders, great-circle distance on the sphere.
    /// $2–$4 and $6 filters.</summary>
    public const string NearestSiteSql = $"""
        SELECT c.code, n.id, n.nom, n.distance
          FROM communes c
          CROSS JOIN LATERAL (
            -- Great-circle distances on the sphere, the metric <-> orders by: the KNN's first row is the nearest.
            SELECT s.id, s.nom, ST_Distance(s.location, c.centre::geography, false) AS distance
              FROM sites s WHERE {SiteFilter}
             ORDER BY s.location <-> c.centre::geography LIMIT 1) n
         WHERE c.code = ANY($5)
        """;

    /// <summary>Every (site, commune) pair within the catchment ($7 metres) of the matching sites in reach of the studied
    /// communes ($8): <c>ST_DWithin</c> on the sites' index, then on the communes' centre geography index.</summary>
    public const string CatchmentSql = $"""
        WITH reach AS MATERIALIZED (
          SELECT DISTINCT s.id, s.location
            FROM communes c JOIN sites s ON ST_DWithin(s.location, c.centre::geography, $7, false)
           WHERE c.code = ANY($8) AND {SiteFilter})
        SELECT r.id, k.code, coalesce(k.people_in_need, 0), ST_Distance(r.location, k.centre::geography, false)
          FROM reach r JOIN communes k ON ST_DWithin(k.centre::geography, r.location, $7, false)
        """;

    /// <summary>For the whole country every matching site is in reach: the pairs come straight from the communes' index.</summary>
    public const string NationalCatchmentSql = $"""
        SELECT s.id, k.code, coalesce(k.people_in_need, 0), ST_Distance(s.location, k.centre::geography, false)
          FROM sites s JOIN communes k ON ST_DWithin(k.centre::geography, s.location, $7, false)
         WHERE {SiteFilter}
        """;

    /// <summary>The name and opening hours of the sites in the catchment pairs ($1): once per site, not once per pair.</summary>
    public const string SupplySitesSql = "SELECT s.id, s.nom, s.horaires FROM sites s WHERE s.id = ANY($1)";

    /// <summary>The matching sites inside the studied communes ($7), as planar points for the printable map.</summary>
    public const string SitesInsideSql = $"SELECT s.location_geometry FROM sites s WHERE s.commune_code = ANY($7) AND {SiteFilter}";

    /// <summary>Which studied communes ($1, the candidates) lie within the threshold ($2 metres) of each commune still
    /// beyond it ($3): only those can gain anything, so the pairs stay few even for the whole country.</summary>
    public const string CandidateCoverSql = """
        SELECT a.code, b.code FROM communes b JOIN communes a ON ST_DWithin(a.centre::geography, b.centre::geography, $2, false)
         WHERE b.code = ANY($3) AND a.code = ANY($1)
        """;

    // Evaluating a year of opening hours is slow beside a lookup; the catalogue holds a few thousand distinct texts.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double?> WeeklyHours = new(StringComparer.Ordinal);

    /// <summary>Runs the analysis; throws <see cref="ArgumentException"/> for a request out of bounds.</summary>
    public async Task<CoverageResult> RunAsync(CoverageRequest request, CancellationToken ct = default)
    {
        if (request.DepartementCode is null && request.CommuneCodes is not { Count: > 0 } && !request.WholeCountry)
            throw new ArgumentException("Give a département or a list of communes.");
        if (request.ThresholdMeters is not (> 0 and <= MaxThresholdMeters))
            throw new ArgumentException($"The distance threshold must be between 0 and {MaxThresholdMeters:0} m.");
        if (request.Suggestions is < 0 or > MaxSuggestions)
            throw new ArgumentException($"Between 0 and {MaxSuggestions} suggestions.");
        if (request.CommuneCodes is { Count: > MaxCommunes } && !request.WholeCountry)
            throw new ArgumentException($"At most {MaxCommunes} communes.");
        // Codes are compared in SQL as parameters; what is not a code (a NUL byte PostgreSQL refuses, a whole page of
        // text) is refused here, with a reason.
        if (request.DepartementCode is { } departement && !IsCode(departement, 2, 3))
            throw new ArgumentException("The département must be a code such as 23, 2A or 974.");
        if (request.CommuneCodes?.Any(c => !IsCode(c, 5, 5)) == true)
            throw new ArgumentException("Commune codes are INSEE codes of 5 characters, such as 23096 or 2A004.");

        var services = request.Services is { Count: > 0 } s ? s.Select(Vocabulary<Service>.Label).ToArray() : null;
        var publics = request.Publics is { Count: > 0 } p ? p.Select(Vocabulary<Public>.Label).ToArray() : null;
        var modalites = request.Modalites is { Count: > 0 } m ? m.Select(Vocabulary<ModaliteAccompagnement>.Label).ToArray() : null;
        var programmes = request.Programmes is { Count: > 0 } g
            ? g.Select(Vocabulary<DispositifProgrammeNational>.Label).ToArray()
            : null;
        return await (retry ?? new ReadRetry(dataSource)).RunAsync(
            token => AnalyseAsync(request, services, publics, modalites, programmes, token), ct);
    }

    private static bool IsCode(string code, int minLength, int maxLength) =>
        code.Length >= minLength && code.Length <= maxLength && code.All(char.IsAsciiLetterOrDigit);

    private async Task<CoverageResult> AnalyseAsync(CoverageRequest request, string[]? services, string[]? publics, string[]? modalites,
        string[]? programmes, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // One snapshot for the five statements, each planned for its own parameters (département, lists of codes).
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var raise = $"SET LOCAL statement_timeout = {(long)StatementTimeout.TotalMilliseconds}";
        await using (var timeout = new NpgsqlCommand(raise, connection, transaction)) await timeout.ExecuteNonQueryAsync(ct);
        await CatalogueDatabase.ForceCustomPlansAsync(transaction, ct);
        // 1. The studied communes.
        var communes = new List<CommuneCoverage>();
        await using (var command = new NpgsqlCommand(StudiedCommunesSql, connection))
        {
            Parameters(command, request, services, publics, modalites, programmes);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                communes.Add(new CommuneCoverage(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetDouble(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.GetFieldValue<Point>(5), null, null, null, true, 0));
        }
        if (communes.Count == 0) throw new ArgumentException("No commune matches: check the département or commune codes.");
        var codes = communes.Select(c => c.Code).ToArray();
        var position = communes.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

        // 2. E2SFCA: the matching sites in reach of the studied communes, and every commune (studied or not) in reach of
        // those sites, so that a site's load counts its whole catchment. The same pairs give each studied commune its
        // nearest site within the catchment.
        var catchment = CoverageModel.Catchment(CoverageModel.DefaultDecay);
        var demandIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var demand = new List<double>();
        var supplyIndex = new Dictionary<long, int>();
        var siteIds = new List<long>();
        var links = new List<CatchmentLink>();
        var nearest = new (int Site, double Distance)[communes.Count];
        Array.Fill(nearest, (-1, double.PositiveInfinity));
        await using (var command = new NpgsqlCommand(request.WholeCountry ? NationalCatchmentSql : CatchmentSql, connection))
        {
            Parameters(command, request, services, publics, modalites, programmes);
            command.Parameters.Add(new() { Value = catchment });
            command.Parameters.Add(new() { Value = codes });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var siteId = reader.GetInt64(0);
                if (!supplyIndex.TryGetValue(siteId, out var j))
                {
                    supplyIndex[siteId] = j = siteIds.Count;
                    siteIds.Add(siteId);
                }
                var code = reader.GetString(1);
                if (!demandIndex.TryGetValue(code, out var i))
                {
                    demandIndex[code] = i = demand.Count;
                    demand.Add(reader.GetDouble(2));
                }
                var distance = reader.GetDouble(3);
                links.Add(new CatchmentLink(i, j, distance));
                // Nearest: the shortest distance, then the lowest site id (the order a KNN would not promise).
                if (position.TryGetValue(code, out var row) && (distance < nearest[row].Distance || distance == nearest[row].Distance
                    && siteId < siteIds[nearest[row].Site]))
                    nearest[row] = (j, distance);
            }
        }
        // Supply: each site's average weekly opening hours (a stated default when unknown or unreadable).
        var supply = new double[siteIds.Count];
        var siteNames = new string[siteIds.Count];
        await using (var command = new NpgsqlCommand(SupplySitesSql, connection))
        {
            command.Parameters.Add(new() { Value = siteIds.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var j = supplyIndex[reader.GetInt64(0)];
                siteNames[j] = reader.GetString(1);
                var hours = reader.IsDBNull(2) ? null : WeeklyHours.GetOrAdd(reader.GetString(2), text =>
                    Core.OpeningHours.OpeningHours.Parse(text).HoursPerWeek);
                supply[j] = hours is > 0 ? hours.Value : DefaultWeeklyHours;
            }
        }
        var index = CoverageModel.TwoStepFloatingCatchment(demand, supply, links, CoverageModel.DefaultDecay);
        for (var row = 0; row < communes.Count; row++)
        {
            var c = communes[row];
            var (site, distance) = nearest[row];
            communes[row] = site < 0
                ? c with { Accessibility = demandIndex.TryGetValue(c.Code, out var i) ? index[i] * 1000 : 0 }
                : c with { NearestSiteId = siteIds[site], NearestSiteName = siteNames[site], NearestDistanceMeters = distance,
                    Beyond = distance > request.ThresholdMeters,
                    Accessibility = index[demandIndex[c.Code]] * 1000 };
        }

        // 3. Communes with no matching site within the catchment: the nearest at any distance, by KNN.
        var far = communes.Where(c => c.NearestSiteId is null).Select(c => c.Code).ToArray();
        if (far.Length > 0)
        {
            await using var command = new NpgsqlCommand(NearestSiteSql, connection);
            Parameters(command, request with { DepartementCode = null, CommuneCodes = far }, services, publics, modalites, programmes);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = position[reader.GetString(0)];
                var distance = reader.GetDouble(3);
                communes[row] = communes[row] with { NearestSiteId = reader.GetInt64(1), NearestSiteName = reader.GetString(2),
                    NearestDistanceMeters = distance, Beyond = distance > request.ThresholdMeters };
            }
        }

        // Sites inside the studied area, for the ratio.
        var siteLocations = new List<Point>();
        await using (var command = new NpgsqlCommand(SitesInsideSql, connection))
        {
            Parameters(command, request, services, publics, modalites, programmes);
            command.Parameters.Add(new() { Value = codes });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) siteLocations.Add(reader.GetFieldValue<Point>(0));
        }

        // 3. Suggestions: candidate points are the studied communes' points on surface; each covers the studied communes
        // within the threshold (only those still beyond it matter to the greedy).
        var covers = communes.Select(_ => new List<int>()).ToArray();
        await using (var command = new NpgsqlCommand(CandidateCoverSql, connection))
        {
            command.Parameters.Add(new() { Value = codes });
            command.Parameters.Add(new() { Value = request.ThresholdMeters });
            command.Parameters.Add(new() { Value = communes.Where(c => c.Beyond).Select(c => c.Code).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) covers[position[reader.GetString(0)]].Add(position[reader.GetString(1)]);
        }
        var need = communes.Select(c => c.PeopleInNeed).ToArray();
        var covered = communes.Select(c => !c.Beyond).ToArray();
        var picks = CoverageModel.GreedyMaximalCovering(need, covered, covers, request.Suggestions);
        var suggestions = picks.Select((pick, rank) =>
        {
            var c = communes[pick.Candidate];
            return new CoverageSuggestion(rank + 1, c.Code, c.Nom, c.Centre!, pick.NewlyCovered, pick.CoveredAfter,
                covers[pick.Candidate].Select(i => communes[i].Code).ToList());
        }).ToList();

        var totalNeed = need.Sum();
        var beyond = communes.Where(c => c.Beyond).Sum(c => c.PeopleInNeed);
        var coveredBefore = totalNeed - beyond;
        var summary = new CoverageSummary(
            communes.Count, communes.Sum(c => (double)c.Population), totalNeed, beyond, totalNeed > 0 ? beyond / totalNeed : 0,
                siteLocations.Count,
            totalNeed > 0 ? siteLocations.Count / totalNeed * 10_000 : 0,
            CoverageModel.WeightedMedian(communes.Select(c => (c.NearestDistanceMeters ?? double.PositiveInfinity, c.PeopleInNeed))),
            coveredBefore, suggestions.Count > 0 ? suggestions[^1].CoveredAfter : coveredBefore);
        var gaps = communes.Where(c => c.Beyond && c.PeopleInNeed > 0).OrderByDescending(c => c.PeopleInNeed).ThenBy(c => c.Code).ToList();
        return new CoverageResult(request, summary, communes, gaps, suggestions, siteLocations, DefaultWeeklyHours);
    }

    /// <summary>$1 département, $2 services, $3 publics, $4 modalities, $5 commune codes, $6 programmes.</summary>
    private static void Parameters(NpgsqlCommand command, CoverageRequest request, string[]? services, string[]? publics,
        string[]? modalites,
        string[]? programmes)
    {
        command.Parameters.Add(new() { Value = (object?)request.DepartementCode ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)services ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)publics ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)modalites ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)request.CommuneCodes?.ToArray() ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)programmes ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
    }
}
