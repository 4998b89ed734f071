using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Accounts;
using InclusionMap.Data.History;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Mail;
using InclusionMap.Server.Tiles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// The coordinators' side of moderation: the queue of their départements (open reports, most reported then newest first;
/// open suggestions, newest first; conflicts between edits and newer source records), resolving a report (fixed or not
/// a problem, with an answer mailed to the reporters who left an address, whose addresses are then erased), accepting a
/// suggestion (a new place whose provenance is InclusionMap) or refusing it. Admins see every département.
/// </summary>
public sealed class ModerationDesk(
    CatalogueWriteDbContext db,
    SiteValues values,
    IAuthorizationService authorization,
    IMailSender mail,
    IOptions<ModerationOptions> options,
    IOptions<AccountOptions> accounts,
    IHttpContextAccessor http,
    TimeProvider clock,
    CatalogueVersion version)
{
    /// <summary>The dataset of the places InclusionMap's people added (accepted suggestions).</summary>
    public const string Dataset = SiteEdits.Dataset;

    /// <summary>The queue of one département, or of all those of the account when <paramref name="departement"/> is null.</summary>
    /// <exception cref="ModerationException">UNAUTHENTICATED, FORBIDDEN.</exception>
    public async Task<ModerationQueue> QueueAsync(Editor editor, string? departement, CancellationToken ct = default)
    {
        IReadOnlyList<string>? scope;
        if (departement is not null)
        {
            await AuthorizeAsync(editor, departement);
            scope = [departement];
        }
        else if (editor.Role == AccountRole.Admin) scope = null;
        else if (editor.Role == AccountRole.Coordinator) scope = editor.Departements;
        else throw ModerationException.Refused("La file de modération est celle des coordinateurs de départements.");

        var max = options.Value.MaxQueueItems;
        var reports = await db.Reports.AsNoTracking().Include(r => r.Entries.OrderBy(e => e.At))
            .Where(r => r.Status == ReportStatus.Open && (scope == null || scope.Contains(r.DepartementCode!)))
            .OrderByDescending(r => r.Count).ThenByDescending(r => r.LastReportedAt).ThenByDescending(r => r.Id)
            .Take(max).ToListAsync(ct);
        var suggestions = await db.Suggestions.AsNoTracking()
            .Where(s => s.Status == SuggestionStatus.Open && (scope == null || scope.Contains(s.DepartementCode!)))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(max).ToListAsync(ct);
        var conflicts = await db.SiteEdits.AsNoTracking()
            .Where(e => e.Status == SiteEditStatus.Conflict)
            .Join(db.Sites.IgnoreQueryFilters(), e => e.SiteId, s => s.Id, (e, s) => new { Edit = e, s.Nom, s.DepartementCode })
            .Where(x => scope == null || scope.Contains(x.DepartementCode!))
            .OrderByDescending(x => x.Edit.ConflictAt).Take(max).ToListAsync(ct);
        var siteIds = reports.Select(r => r.SiteId).Distinct().ToList();
        var sites = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => siteIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Nom, s.CommuneName }).ToDictionaryAsync(s => s.Id, ct);
        return new ModerationQueue(
            scope,
            [.. reports.Select(r => new QueueReport(r, sites.GetValueOrDefault(r.SiteId)?.Nom,
                sites.GetValueOrDefault(r.SiteId)?.CommuneName))],
            suggestions,
            [.. conflicts.Select(c => new QueueConflict(c.Edit, c.Nom, c.DepartementCode))]);
    }

    /// <summary>Resolves an open report; an answer is mailed to every reporter who left an address, then the addresses are
    /// erased.</summary>
    /// <exception cref="ModerationException">UNAUTHENTICATED, NOT_FOUND, FORBIDDEN, ALREADY_RESOLVED, BAD_USER_INPUT,
    /// MAIL_NOT_SENT.</exception>
    public async Task<Report> ResolveReportAsync(Editor editor, long reportId, ReportStatus resolution, string? answer,
        CancellationToken ct = default)
    {
        if (resolution == ReportStatus.Open) throw ModerationException.Invalid([new("resolution",
            "Choisissez « corrigé » ou « pas un problème ».")]);
        var report = await db.Reports.Include(r => r.Entries).FirstOrDefaultAsync(r => r.Id == reportId, ct)
            ?? throw new ModerationException(ModerationException.NotFound, $"Aucun signalement n° {reportId}.");
        await AuthorizeAsync(editor, report.DepartementCode);
        if (report.Status != ReportStatus.Open) throw new ModerationException(ModerationException.AlreadyResolved,
            "Ce signalement est déjà traité.");
        var errors = new List<FieldError>();
        answer = values.Message(answer, "answer", "Réponse", errors);
        if (errors.Count > 0) throw ModerationException.Invalid(errors);
        var place = await db.Sites.IgnoreQueryFilters().Where(s => s.Id == report.SiteId).Select(s => s.Nom).FirstOrDefaultAsync(ct)
            ?? $"lieu n° {report.SiteId}";

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var emails = report.Entries.Select(e => e.Email).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        report.Status = resolution;
        report.ResolvedAt = clock.GetUtcNow();
        report.ResolvedBy = editor.Id;
        report.Answer = answer;
        foreach (var entry in report.Entries) entry.Email = null;
        AuditLog.Add(db, http.HttpContext, AuditActions.ReportResolved, editor.Account, target: "report:" + report.Id,
            details: new { resolution = resolution.ToString(), site = report.SiteId, answered = answer is null ? 0 : emails.Count });
        await db.SaveChangesAsync(ct);
        if (answer is not null)
            foreach (var email in emails) await SendAsync(ModerationMails.ReportAnswer(email, place, report.Kind, resolution, answer), ct);
        await transaction.CommitAsync(ct);
        return report;
    }

    /// <summary>
    /// Accepts an open suggestion: the place is created from its record, with one source record of the dataset
    /// <see cref="Dataset"/> (InclusionMap as its provenance), in the history (cause <c>edit</c>) and the audit log.
    /// </summary>
    /// <exception cref="ModerationException">UNAUTHENTICATED, NOT_FOUND, FORBIDDEN, ALREADY_RESOLVED, BAD_USER_INPUT, CATALOGUE_BUSY,
    /// MAIL_NOT_SENT.</exception>
    public async Task<Suggestion> AcceptSuggestionAsync(Editor editor, long suggestionId, string? answer, CancellationToken ct = default)
    {
        var suggestion = await OpenSuggestionAsync(editor, suggestionId, ct);
        answer = Answer(answer);
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await SiteEditor.LockCatalogueAsync(db, ct);
        var record = SchemaV1Record.FromDictionary(suggestion.Record);
        record["id"] = $"suggestion-{suggestion.Id}";
        record["date_maj"] = SiteValues.Today(clock).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dictionary = record.ToDictionary();
        var site = new Site { CreatedAt = now, UpdatedAt = now, LastConfirmed = now };
        SiteRecord.Apply(record, site);
        site.Sources.Add(new SiteSource
        {
            Dataset = Dataset, SourceId = record.Id!, SourceFile = "", Format = "inclusionmap-suggestion", RowNumber = 0,
                DateMaj = site.DateMaj,
            ImportedAt = now, LastSeenAt = now, Record = dictionary,
            RecordHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(dictionary)))),
            Raw = JsonSerializer.Serialize(new { suggestion = suggestion.Id, suggestion.CreatedAt, suggestion.Record,
                acceptedBy = editor.HistoryActor }),
        });
        db.Sites.Add(site);
        await db.SaveChangesAsync(ct);
        await Data.Import.CatalogueImporter.ResolveTerritoriesAsync((NpgsqlConnection)db.Database.GetDbConnection(), [site.Id], ct);
        var history = new SiteHistoryRecorder(editor.HistoryActor, ChangeCause.Edit);
        history.Created(site.Id, ChangeCause.Edit, Dataset, $"accepted suggestion {suggestion.Id}: {site.Nom}");
        await history.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), db, null, now, ct);
        var email = Resolve(suggestion, editor, SuggestionStatus.Accepted, answer);
        suggestion.SiteId = site.Id;
        AuditLog.Add(db, http.HttpContext, AuditActions.SuggestionAccepted, editor.Account, target: "suggestion:" + suggestion.Id,
            details: new { site = site.Id });
        await db.SaveChangesAsync(ct);
        if (email is not null)
            await SendAsync(ModerationMails.SuggestionAnswer(email, site.Nom, accepted: true, answer,
                accounts.Value.Link(ModerationPages.PlacePath(site.Id))), ct);
        await transaction.CommitAsync(ct);
        await version.RefreshAsync(ct);
        return suggestion;
    }

    /// <exception cref="ModerationException">UNAUTHENTICATED, NOT_FOUND, FORBIDDEN, ALREADY_RESOLVED, BAD_USER_INPUT,
    /// MAIL_NOT_SENT.</exception>
    public async Task<Suggestion> RefuseSuggestionAsync(Editor editor, long suggestionId, string? answer, CancellationToken ct = default)
    {
        var suggestion = await OpenSuggestionAsync(editor, suggestionId, ct);
        answer = Answer(answer);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var email = Resolve(suggestion, editor, SuggestionStatus.Refused, answer);
        AuditLog.Add(db, http.HttpContext, AuditActions.SuggestionRefused, editor.Account, target: "suggestion:" + suggestion.Id,
            details: new { answered = answer is not null });
        await db.SaveChangesAsync(ct);
        if (email is not null)
            await SendAsync(ModerationMails.SuggestionAnswer(email, suggestion.Record.GetValueOrDefault("nom") ?? "", accepted: false,
                answer, null), ct);
        await transaction.CommitAsync(ct);
        return suggestion;
    }

    private async Task<Suggestion> OpenSuggestionAsync(Editor editor, long id, CancellationToken ct)
    {
        var suggestion = await db.Suggestions.FirstOrDefaultAsync(s => s.Id == id, ct)
            ?? throw new ModerationException(ModerationException.NotFound, $"Aucune proposition n° {id}.");
        await AuthorizeAsync(editor, suggestion.DepartementCode);
        if (suggestion.Status != SuggestionStatus.Open) throw new ModerationException(ModerationException.AlreadyResolved,
            "Cette proposition est déjà traitée.");
        return suggestion;
    }

    /// <summary>Marks a suggestion resolved and erases its address; returns the address to answer to.</summary>
    private string? Resolve(Suggestion suggestion, Editor editor, SuggestionStatus status, string? answer)
    {
        var email = suggestion.Email;
        suggestion.Status = status;
        suggestion.ResolvedAt = clock.GetUtcNow();
        suggestion.ResolvedBy = editor.Id;
        suggestion.Answer = answer;
        suggestion.Email = null;
        return email;
    }

    private string? Answer(string? answer)
    {
        var errors = new List<FieldError>();
        answer = values.Message(answer, "answer", "Réponse", errors);
        return errors.Count > 0 ? throw ModerationException.Invalid(errors) : answer;
    }

    private async Task SendAsync(MimeKit.MimeMessage message, CancellationToken ct)
    {
        try
        {
            await mail.SendAsync(message, ct);
        }
        catch (MailNotSentException)
        {
            throw new ModerationException("MAIL_NOT_SENT",
                "La réponse n'a pas pu être envoyée : rien n'a été enregistré. Réessayez plus tard.");
        }
    }

    /// <summary>Moderating a département's items: its coordinators and admins (an item of no département: admins only).</summary>
    private async Task AuthorizeAsync(Editor editor, string? departement)
    {
        if (!(await authorization.AuthorizeAsync(editor.User, new DepartementScope(departement ?? ""),
            AccountOperation.ModerateDepartement)).Succeeded)
            throw ModerationException.Refused();
    }
}
