using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Query;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.OData;

// OData routing conventions bind these by name: Sites → SitesController.Get, Sites(1) → Get(key),
// Sites(1)/Commune → GetCommune(key). Each action only chooses its source; FeedQuery does the rest.

public sealed class SitesController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Site> options, CancellationToken ct) => FeedQuery.CollectionAsync(this, FeedQuery.Sites(db.Sites, options), options, ct);

    public Task<IActionResult> Get(long key, ODataQueryOptions<Site> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Sites.Where(s => s.Id == key), options, ct);

    public Task<IActionResult> GetCommune(long key, ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Sites.Where(s => s.Id == key && s.Commune != null).Select(s => s.Commune!), options, ct);
}

public sealed class CommunesController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Commune> options, CancellationToken ct) => FeedQuery.CollectionAsync(this, db.Communes, options, ct);

    public Task<IActionResult> Get(string key, ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Communes.Where(c => c.Code == key), options, ct);

    public Task<IActionResult> GetSites(string key, ODataQueryOptions<Site> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, FeedQuery.Sites(db.Sites.Where(s => s.CommuneCode == key), options), options, ct);

    public Task<IActionResult> GetDepartement(string key, ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Departements.Where(d => d.Communes.Any(c => c.Code == key)), options, ct);
}

public sealed class DepartementsController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Departement> options, CancellationToken ct) => FeedQuery.CollectionAsync(this, db.Departements, options, ct);

    public Task<IActionResult> Get(string key, ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Departements.Where(d => d.Code == key), options, ct);

    public Task<IActionResult> GetCommunes(string key, ODataQueryOptions<Commune> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Communes.Where(c => c.DepartementCode == key), options, ct);

    public Task<IActionResult> GetRegion(string key, ODataQueryOptions<Region> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Regions.Where(r => r.Departements.Any(d => d.Code == key)), options, ct);
}

public sealed class RegionsController(CatalogueFeedDbContext db) : ODataController
{
    public Task<IActionResult> Get(ODataQueryOptions<Region> options, CancellationToken ct) => FeedQuery.CollectionAsync(this, db.Regions, options, ct);

    public Task<IActionResult> Get(string key, ODataQueryOptions<Region> options, CancellationToken ct) =>
        FeedQuery.SingleAsync(this, db.Regions.Where(r => r.Code == key), options, ct);

    public Task<IActionResult> GetDepartements(string key, ODataQueryOptions<Departement> options, CancellationToken ct) =>
        FeedQuery.CollectionAsync(this, db.Departements.Where(d => d.RegionCode == key), options, ct);
}
