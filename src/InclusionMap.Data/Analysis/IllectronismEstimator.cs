using InclusionMap.Core.Illectronism;
using Npgsql;

namespace InclusionMap.Data.Analysis;

/// <summary>
/// Computes the illectronism estimate of every commune (<see cref="IllectronismModel"/>) and stores it on
/// <c>communes</c>. The model is calibrated on the whole country at once, so it always runs over every commune, inside
/// the import's transaction after territories change.
/// </summary>
public static class IllectronismEstimator
{
    /// <summary>Recomputes and stores every estimate; returns how many communes got one.</summary>
    public static async Task<int> RefreshAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        var profiles = new List<CommuneProfile>();
        await using (var read = new NpgsqlCommand("""
            SELECT c.code, c.departement_code, c.population, c.area_km2, c.share_65_plus, c.share_25_or_under, c.share_no_diploma,
                   c.share_living_alone, c.poverty_rate,
                   EXISTS (SELECT 1 FROM communes b WHERE b.population >= 50000
                              AND ST_DWithin(b.centre::geography, c.centre::geography, 25000)) AS near_large_city
              FROM communes c WHERE c.population IS NOT NULL ORDER BY c.code
            """, connection))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            while (await reader.ReadAsync(ct))
            {
                profiles.Add(new CommuneProfile(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    D(3), D(4), D(5), D(6), D(7), D(8), reader.GetBoolean(9)));
            }
        }
        if (profiles.Count == 0) return 0;
        var estimates = IllectronismModel.Estimate(profiles);
        await using var write = new NpgsqlCommand("""
            UPDATE communes c SET population_15_plus = e.p15, illectronism_rate = e.rate, illectronism_low = e.low,
                   illectronism_high = e.high, people_in_need = e.need, territory_class = e.class, illectronism_imputed = e.imputed
              FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::text[], $8::bool[])
                   AS e(code, p15, rate, low, high, need, class, imputed)
             WHERE c.code = e.code
            """, connection);
        write.Parameters.Add(new() { Value = estimates.Select(e => e.Code).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => Math.Round(e.Population15Plus, 1)).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => e.Rate).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => e.Low).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => e.High).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => Math.Round(e.PeopleInNeed, 1)).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => Label(e.Territory)).ToArray() });
        write.Parameters.Add(new() { Value = estimates.Select(e => e.Imputed).ToArray() });
        await write.ExecuteNonQueryAsync(ct);
        return estimates.Count;
    }

    /// <summary>For a catalogue seeded before the estimates existed: computes them once if communes have none.</summary>
    public static async Task<int> EnsureAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var check = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM communes WHERE population IS NOT NULL AND illectronism_rate IS NULL)", connection);
        if (await check.ExecuteScalarAsync(ct) is not true) return 0;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var count = await RefreshAsync(connection, ct);
        await transaction.CommitAsync(ct);
        return count;
    }

    /// <summary>The stored name of a territory class.</summary>
    public static string Label(TerritoryClass territory) => territory switch
    {
        TerritoryClass.Rural => "rural",
        TerritoryClass.SmallTown => "small-town",
        TerritoryClass.LargeCity => "large-city",
        _ => "other",
    };
}
