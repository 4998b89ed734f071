using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Loads, for all the sites of the pages of one request, their communes and provenance in one query each (the first
/// time a site asks), so that <c>sites { edges { node { commune { name } } } }</c> costs a constant number of queries.
/// Scoped to the request; queries execute serially (one DbContext).
/// </summary>
public sealed class PagePreload(CatalogueDbContext db)
{
    private readonly List<Site> _sites = [];
    private Dictionary<string, Commune>? _communes;
    private ILookup<long, SiteSource>? _sources;
    private readonly HashSet<string> _communeCodes = [];
    private Dictionary<string, int>? _siteCounts;

    public void Register(IEnumerable<Site> sites)
    {
        _sites.AddRange(sites);
        _communes = null;
        _sources = null;
    }

    public async Task<Commune?> CommuneAsync(Site site, CancellationToken ct)
    {
        if (site.CommuneCode is null) return null;
        if (_communes is null || !_communes.ContainsKey(site.CommuneCode))
        {
            var codes = _sites.Append(site).Select(s => s.CommuneCode).OfType<string>().Distinct().ToList();
            _communes = await db.Communes.AsNoTracking().Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, ct);
        }
        return _communes.GetValueOrDefault(site.CommuneCode);
    }

    public void RegisterCommunes(IEnumerable<string> codes)
    {
        _communeCodes.UnionWith(codes);
        _siteCounts = null;
    }

    /// <summary>Sites per commune, for all the communes of the request's pages in one GROUP BY.</summary>
    public async Task<int> SiteCountAsync(string communeCode, CancellationToken ct)
    {
        if (_siteCounts is null || !_siteCounts.ContainsKey(communeCode))
        {
            _communeCodes.Add(communeCode);
            var codes = _communeCodes.ToList();
            _siteCounts = codes.ToDictionary(c => c, _ => 0);
            foreach (var row in await db.Sites.AsNoTracking().Where(s => s.CommuneCode != null && codes.Contains(s.CommuneCode))
                         .GroupBy(s => s.CommuneCode!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
                _siteCounts[row.Key] = row.Count;
        }
        return _siteCounts[communeCode];
    }

    public async Task<IEnumerable<SiteSource>> SourcesAsync(Site site, CancellationToken ct)
    {
        if (_sources is null || !_sources.Contains(site.Id))
        {
            var ids = _sites.Append(site).Select(s => s.Id).Distinct().ToList();
            var sources = await db.SiteSources.AsNoTracking().Where(s => ids.Contains(s.SiteId)).OrderBy(s => s.Id).ToListAsync(ct);
            _sources = sources.ToLookup(s => s.SiteId);
        }
        return _sources[site.Id];
    }
}
