using System.Globalization;
using InclusionMap.Core.Schema;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.Moderation;

/// <summary>
/// The real server for moderation tests: a clock the tests may move, and a budget of contributions large enough for a
/// class of tests from one address (the budget has its own test, <see cref="ContributionLimitTests"/>).
/// </summary>
public class ModerationServer : ServerFixture
{
    public AdjustableClock Clock { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Configuration["InclusionMap:RateLimits:Contribution:PermitLimit"] = "100000";
    }

    /// <summary>A visible place of a département (the <paramref name="skip"/>-th by id).</summary>
    public Task<long> SiteInAsync(string departement, int skip = 0) =>
        ScalarAsync<long>("SELECT id FROM sites WHERE departement_code = $1 AND retired_at IS NULL ORDER BY id OFFSET $2 LIMIT 1",
            departement, skip);

    /// <summary>
    /// Imports a schema v1.0.2 CSV of the given records as the owner, as a producer's file would be (dataset
    /// <paramref name="dataset"/>, only these records: nothing else retired).
    /// </summary>
    public async Task<ImportReport> ImportAsync(string dataset, params Dictionary<string, string?>[] records)
    {
        var path = Path.Combine(Path.GetTempPath(), $"im-{dataset}-{Guid.NewGuid():N}.csv");
        try
        {
            await using (var writer = new StreamWriter(path))
            using (var csv = Core.Csv.Exact(writer))
            {
                Core.Csv.WriteRow(csv, SchemaV1.Fields.Select(f => f.Name));
                foreach (var record in records) Core.Csv.WriteRow(csv, SchemaV1.Fields.Select(f => record.GetValueOrDefault(f.Name)));
            }
            await using var owner = CatalogueDatabase.CreateDataSource(OwnerConnectionString);
            return await new CatalogueImporter(owner).ImportAsync([new ImportFile(path, ImportFormat.SchemaV1Csv, dataset)]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A record of a place of Guéret no other source lists: <paramref name="street"/> and <paramref name="north"/> (metres)
    /// keep the tests' places apart, so deduplication never merges two of them.
    /// </summary>
    public static Dictionary<string, string?> CreusePlace(string id, string name, string street, int north, string dateMaj,
        string? horaires,
        string? telephone = null) => new()
    {
        ["id"] = id, ["pivot"] = "00000000000000", ["nom"] = name, ["commune"] = "Guéret", ["code_postal"] = "23000",
            ["code_insee"] = "23096",
        ["adresse"] = street, ["latitude"] = (46.1621 + north / 111_000.0).ToString("R", CultureInfo.InvariantCulture),
            ["longitude"] = "1.8866",
        ["horaires"] = horaires, ["telephone"] = telephone, ["date_maj"] = dateMaj, ["services"] = "Aide aux démarches administratives",
        ["source"] = "Tests",
    };

    public static string Day(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).ToString("yyyy-MM-dd",
            CultureInfo.InvariantCulture);
}
