using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.OData;

/// <summary>
/// The <c>Departements</c> entity set, bound by name like <see cref="SitesController"/>: each action only chooses
/// its source.
/// </summary>
public sealed class DepartementsController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Departements, options, ct);

    public Task<IActionResult> Get(string key, ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Departements.Where(d => d.Code == key), options, ct);

    public Task<IActionResult> GetCommunes(string key, ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Communes.Where(c => c.DepartementCode == key), options, ct);

    public Task<IActionResult> GetRegion(string key, ODataQueryOptions<Region> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Regions.Where(r => r.Departements.Any(d => d.Code == key)), options, ct);
}
