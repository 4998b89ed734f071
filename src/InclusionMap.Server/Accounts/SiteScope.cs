using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Accounts;

/// <summary>A site as authorization sees it: its id and the département it is in.</summary>
public sealed record SiteScope(long SiteId, string? DepartementCode)
{
    /// <summary>The scope of a site of the catalogue; null when there is no such site.</summary>
    public static async Task<SiteScope?> FindAsync(CatalogueDbContext db, long siteId, CancellationToken ct = default) =>
        await db.Sites.AsNoTracking()
            .Where(s => s.Id == siteId)
            .Select(s => new SiteScope(s.Id, s.DepartementCode))
            .FirstOrDefaultAsync(ct);
}
