using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.OData;

/// <summary>
/// The <c>Regions</c> entity set, bound by name like <see cref="SitesController"/>: each action only chooses its
/// source.
/// </summary>
public sealed class RegionsController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Region> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Regions, options, ct);

    public Task<IActionResult> Get(string key, ODataQueryOptions<Region> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Regions.Where(r => r.Code == key), options, ct);

    public Task<IActionResult> GetDepartements(string key, ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Departements.Where(d => d.RegionCode == key), options, ct);
}
