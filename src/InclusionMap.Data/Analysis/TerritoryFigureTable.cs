using InclusionMap.Data.Sites;
using Npgsql;

namespace InclusionMap.Data.Analysis;

/// <summary>
/// <see cref="TerritoryFigures"/> of every département, every région and France, computed together: one statement over
/// the communes (grouped by département) and one count of places per département (<see cref="SiteQuery"/>), summed
/// upwards here. Cheap enough to build once per catalogue version and keep.
/// </summary>
public sealed record TerritoryFigureTable(
    IReadOnlyDictionary<string, TerritoryFigures> Departements, IReadOnlyDictionary<string, TerritoryFigures> Regions,
    IReadOnlyDictionary<string, string> RegionOfDepartement, TerritoryFigures France)
{
    /// <summary>Per département: name, région, sums over its communes (IFN weighted by population, where published).</summary>
    public const string CommuneSumsSql = """
        SELECT d.code, d.nom, r.code, r.nom,
               coalesce(sum(c.population), 0)::float8, coalesce(sum(c.population_15_plus), 0), coalesce(sum(c.people_in_need), 0),
               coalesce(sum(c.ifn_total * c.population) FILTER (WHERE c.ifn_total IS NOT NULL), 0),
               coalesce(sum(c.population) FILTER (WHERE c.ifn_total IS NOT NULL), 0)::float8
          FROM departements d JOIN regions r ON r.code = d.region_code LEFT JOIN communes c ON c.departement_code = d.code
         GROUP BY d.code, d.nom, r.code, r.nom
         ORDER BY d.code
        """;

    public static async Task<TerritoryFigureTable> LoadAsync(NpgsqlDataSource reads, SiteQuery sites, CancellationToken ct)
    {
        var counts = await sites.CountByDepartementAsync(new SiteFilter(), ct);
        var rows = new List<Sums>();
        await using (var command = reads.CreateCommand(CommuneSumsSql))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                rows.Add(new Sums(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4),
                    reader.GetDouble(5), reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8),
                        counts.GetValueOrDefault(reader.GetString(0))));
        return new TerritoryFigureTable(
            rows.ToDictionary(r => r.Code, r => Figures(r.Code, r.Name, [r]), StringComparer.Ordinal),
            rows.GroupBy(r => r.RegionCode).ToDictionary(g => g.Key, g => Figures(g.Key, g.First().RegionName, g), StringComparer.Ordinal),
            rows.ToDictionary(r => r.Code, r => r.RegionCode, StringComparer.Ordinal),
            Figures("FR", "France", rows));
    }

    private sealed record Sums(string Code, string Name, string RegionCode, string RegionName, double Population, double Adults,
        double Need,
        double IfnWeighted, double IfnPopulation, int Sites);

    private static TerritoryFigures Figures(string code, string name, IEnumerable<Sums> parts)
    {
        var list = parts.ToList();
        double population = list.Sum(p => p.Population), adults = list.Sum(p => p.Adults), need = list.Sum(p => p.Need);
        double ifnWeighted = list.Sum(p => p.IfnWeighted), ifnPopulation = list.Sum(p => p.IfnPopulation);
        var sites = list.Sum(p => p.Sites);
        return new TerritoryFigures(code, name, population, adults, need, adults > 0 ? need / adults : null, sites,
            need > 0 ? sites / need * 10_000 : null, ifnPopulation > 0 ? ifnWeighted / ifnPopulation : null);
    }
}
