using System.Globalization;
using InclusionMap.Core.Places;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Moderation;

/// <summary>What the signed-in pages show besides the queue: a structure's places, whether a place may be edited, its conflicts.</summary>
public sealed class EditorPlaces(CatalogueWriteDbContext db, IAuthorizationService authorization)
{
    public Task<List<PlaceSummary>> PlacesAsync(Editor editor, CancellationToken ct)
    {
        var ids = editor.User.FindAll(AccountClaimTypes.Site).Select(c => long.Parse(c.Value, CultureInfo.InvariantCulture)).ToList();
        return db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => ids.Contains(s.Id)).OrderBy(s => s.Nom)
            .Select(s => new PlaceSummary(s.Id, s.Nom, s.Adresse, s.CodePostal, s.CommuneName, s.Courriels.Count > 0)).ToListAsync(ct);
    }

    public async Task<bool> MayEditAsync(Editor editor, Site site) =>
        (await authorization.AuthorizeAsync(editor.User, new SiteScope(site.Id, site.DepartementCode),
            AccountOperation.EditSite)).Succeeded;

    public Task<List<SiteEdit>> ConflictsAsync(long siteId, CancellationToken ct) =>
        db.SiteEdits.AsNoTracking().Where(e => e.SiteId == siteId
            && e.Status == SiteEditStatus.Conflict).OrderBy(e => e.Field).ToListAsync(ct);
}
