using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.OData;

/// <summary>
/// The <c>Communes</c> entity set, bound by name like <see cref="SitesController"/>: each action only chooses its
/// source.
/// </summary>
public sealed class CommunesController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Communes, options, ct);

    public Task<IActionResult> Get(string key, ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Communes.Where(c => c.Code == key), options, ct);

    public Task<IActionResult> GetSites(string key, ODataQueryOptions<Site> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, FeedQuery.Sites(db.Sites.Where(s => s.CommuneCode == key), options), options, ct);

    public Task<IActionResult> GetDepartement(string key, ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Departements.Where(d => d.Communes.Any(c => c.Code == key)), options, ct);
}
