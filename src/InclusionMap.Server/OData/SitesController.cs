using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.OData;

/// <summary>
/// OData routing conventions bind these actions by name: Sites → Get, Sites(1) → Get(key), Sites(1)/Commune →
/// GetCommune(key). Each action only chooses its source; <see cref="FeedQuery"/> does the rest.
/// </summary>
public sealed class SitesController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Site> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, FeedQuery.Sites(db.Sites, options), options, ct);

    public Task<IActionResult> Get(long key, ODataQueryOptions<Site> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Sites.Where(s => s.Id == key), options, ct);

    public Task<IActionResult> GetCommune(long key, ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Sites.Where(s => s.Id == key && s.Commune != null).Select(s => s.Commune!), options, ct);
}
