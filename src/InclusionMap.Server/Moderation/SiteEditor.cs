using InclusionMap.Core.Places;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Data.History;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Tiles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// Edits of places by coordinators (any field of a place of their départements) and structures (hours, services,
/// contact and a temporary closure of their own place). An edit is checked (<see cref="SiteValues"/>), kept as edited
/// fields that win over the sources (<see cref="SiteEdits"/>), applied, recorded in the place's history with its author
/// (cause <c>edit</c>) and in the audit log, in one transaction that takes the catalogue's write lock (an import never
/// runs half-way through an edit, nor an edit through an import). A refused edit writes nothing.
/// </summary>
public sealed class SiteEditor(
    CatalogueWriteDbContext db,
    SiteValues values,
    IAuthorizationService authorization,
    IHttpContextAccessor http,
    TimeProvider clock,
    CatalogueVersion version)
{
    /// <summary>How long an edit waits for an import or sync to finish before answering CATALOGUE_BUSY.</summary>
    public static readonly TimeSpan WriteLockWait = TimeSpan.FromSeconds(4);

    /// <summary>Changes fields of a place; returns it as it is now.</summary>
    /// <exception cref="ModerationException">UNAUTHENTICATED, NOT_FOUND, FORBIDDEN, BAD_USER_INPUT, CATALOGUE_BUSY.</exception>
    public async Task<Site> UpdateAsync(Editor editor, long siteId, IReadOnlyDictionary<SiteField, object?> changes,
        CancellationToken ct = default)
    {
        var site = await FindAsync(siteId, ct);
        await AuthorizeAsync(editor, new SiteScope(site.Id, site.DepartementCode), AccountOperation.EditSite);
        if (changes.Keys.FirstOrDefault(f => !EditableFields.ByName.ContainsKey(f.GraphQLName)) is { } fixedField)
            throw ModerationException.Invalid([new(fixedField.GraphQLName, $"{fixedField.GraphQLName} ne se modifie pas.")]);
        if (editor.Role == AccountRole.Structure
            && changes.Keys.FirstOrDefault(f => !EditableFields.StructureMay.Contains(f.GraphQLName)) is { } field)
            throw ModerationException.Refused("Une structure modifie les horaires, les services, les coordonnées et la fermeture "
                + "temporaire de son lieu, "
                + $"pas « {EditableFields.Label(field.GraphQLName)} » : demandez-le à la coordination de votre département.");
        var text = values.Changes(site, changes);
        if (text.Count == 0) return site;
        return await WriteAsync(editor, site, text, ct);
    }

    /// <summary>
    /// Settles a conflict between an edited field and a newer source record: keep the edit (it is edited again, and wins
    /// until a still newer record comes), or keep the source's value (the edit is dismissed).
    /// </summary>
    /// <exception cref="ModerationException">UNAUTHENTICATED, NOT_FOUND, FORBIDDEN, CATALOGUE_BUSY.</exception>
    public async Task<Site> ResolveConflictAsync(Editor editor, long siteId, string field, bool keepEdited, CancellationToken ct = default)
    {
        var site = await FindAsync(siteId, ct);
        await AuthorizeAsync(editor, new DepartementScope(site.DepartementCode ?? ""), AccountOperation.ModerateDepartement);
        var conflict = await db.SiteEdits.AsNoTracking()
                .FirstOrDefaultAsync(e => e.SiteId == siteId && e.Field == field && e.Status == SiteEditStatus.Conflict, ct)
            ?? throw new ModerationException(ModerationException.NotFound,
                $"Aucun conflit ouvert sur « {EditableFields.Label(field)} » du lieu n° {siteId}.");
        var details = new { field, keep = keepEdited ? "edited" : "source", edited = conflict.Value, source = conflict.SourceValue };
        if (keepEdited)
        {
            var definition = SiteFields.ByGraphQLName[field];
            var text = values.Changes(site, new Dictionary<SiteField, object?> { [definition] = SiteEdits.Parse(definition,
                conflict.Value) });
            // The value is the edit's; the conflict's row is superseded by the new edit (WriteAsync).
            return await WriteAsync(editor, site, text.Count > 0 ? text : new() { [definition] = conflict.Value }, ct, details);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        await db.SiteEdits.Where(e => e.Id == conflict.Id).ExecuteUpdateAsync(e => e
            .SetProperty(x => x.Status, SiteEditStatus.Dismissed).SetProperty(x => x.ResolvedAt, now).SetProperty(x => x.ResolvedBy,
                editor.Id), ct);
        AuditLog.Add(db, http.HttpContext, AuditActions.ConflictResolved, editor.Account, target: Contributions.SiteTarget(siteId),
            details: details);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return site;
    }

    /// <summary>The place, retired ones included (a coordinator may correct one).</summary>
    public async Task<Site> FindAsync(long siteId, CancellationToken ct) =>
        await db.Sites.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct)
        ?? throw new ModerationException(ModerationException.NotFound, $"Aucun lieu n° {siteId} dans le catalogue.");

    private async Task<Site> WriteAsync(Editor editor, Site site, Dictionary<SiteField, string?> text, CancellationToken ct,
        object? conflict = null)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockCatalogueAsync(db, ct);
        var dates = await SiteEdits.NewestSourceDatesAsync(db, [site.Id], ct);
        var newest = dates.TryGetValue(site.Id, out var date) ? date : (DateOnly?)null;
        var fields = text.Keys.Select(f => f.GraphQLName).ToList();
        await db.SiteEdits.Where(e => e.SiteId == site.Id && fields.Contains(e.Field)
                && (e.Status == SiteEditStatus.Active || e.Status == SiteEditStatus.Conflict))
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Status, SiteEditStatus.Superseded).SetProperty(x => x.ResolvedAt, now), ct);
        foreach (var (field, value) in text)
            db.SiteEdits.Add(new SiteEdit
            {
                SiteId = site.Id, Field = field.GraphQLName, Value = value, BaseDateMaj = newest, EditedAt = now, AccountId = editor.Id,
                Actor = editor.HistoryActor, Status = SiteEditStatus.Active,
            });
        await db.SaveChangesAsync(ct);

        var history = new SiteHistoryRecorder(editor.HistoryActor, ChangeCause.Edit);
        await SiteEdits.ApplyAsync(db, history, [site.Id], ct);
        await db.Sites.IgnoreQueryFilters().Where(s => s.Id == site.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EditedAt, now).SetProperty(x => x.UpdatedAt, now), ct);
        // A coordinator may not move a place out of its départements (it would lose it, and another's queue would gain it).
        var departement = await db.Sites.IgnoreQueryFilters().Where(s => s.Id == site.Id).Select(s => s.DepartementCode).FirstAsync(ct);
        if (departement != site.DepartementCode
            && !(await authorization.AuthorizeAsync(editor.User, new SiteScope(site.Id, departement), AccountOperation.EditSite)).Succeeded)
            throw ModerationException.Refused($"Ce changement placerait le lieu dans le département {departement ?? "(aucun)"}, "
                + "hors des vôtres : "
                + "demandez-le à la coordination de ce département.");
        await history.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), db, null, now, ct);
        AuditLog.Add(db, http.HttpContext, AuditActions.SiteEdited, editor.Account, target: Contributions.SiteTarget(site.Id),
            details: new { changes = text.ToDictionary(t => t.Key.GraphQLName, t => t.Value) });
        if (conflict is not null)
            AuditLog.Add(db, http.HttpContext, AuditActions.ConflictResolved, editor.Account, target: Contributions.SiteTarget(site.Id),
                details: conflict);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        // Tiles and analyses cached by this server follow at once (other servers within their next poll).
        await version.RefreshAsync(ct);
        return await FindAsync(site.Id, ct);
    }

    /// <summary>
    /// Takes <see cref="CatalogueWriteLock"/> for the transaction, waiting at most <see cref="WriteLockWait"/> for an import
    /// or a sync to finish.
    /// </summary>
    /// <exception cref="ModerationException">CATALOGUE_BUSY.</exception>
    public static async Task LockCatalogueAsync(CatalogueDbContext db, CancellationToken ct)
    {
        try
        {
            var wait = $"{(int)WriteLockWait.TotalMilliseconds}ms";
            await db.Database.ExecuteSqlAsync($"SELECT set_config('lock_timeout', {wait}, true)", ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CatalogueWriteLock.Key})", ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled)
        {
            throw new ModerationException(ModerationException.CatalogueBusy,
                "Une mise à jour du catalogue (import ou synchronisation) est en cours : réessayez dans une minute. "
                + "Rien n'a été enregistré.");
        }
    }

    private async Task AuthorizeAsync(Editor editor, object resource, AccountOperation operation)
    {
        if (!(await authorization.AuthorizeAsync(editor.User, resource, operation)).Succeeded) throw ModerationException.Refused();
    }
}
