using InclusionMap.Core;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using InclusionMap.Data.Accounts;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// What anyone may send without an account: a report of a problem on a place, a new place, a request to manage a place
/// (a link mailed to an address the place's record lists). Each checks sizes and formats (<see cref="SiteValues"/>),
/// writes through the editor role with its audit row in one transaction, and is counted against the sender's small
/// budget of contributions (<see cref="Limits.RequestClass.Contribution"/>). A form whose honeypot field was filled in
/// (a field people never see) is answered as if accepted, and nothing is written.
/// </summary>
public sealed class Contributions(
    CatalogueWriteDbContext db,
    SiteValues values,
    IMailSender mail,
    IOptions<ModerationOptions> options,
    IOptions<AccountOptions> accounts,
    IHttpContextAccessor http,
    TimeProvider clock,
    ILogger<Contributions> log)
{
    public const string Anonymous = "anonymous";
    public const string ReportThanks =
        "Merci ! Votre signalement a été transmis à la coordination du département, qui vérifiera la fiche.";
    public const string SuggestionThanks =
        "Merci ! Votre proposition a été transmise à la coordination du département, qui l'examinera.";

    /// <summary>Reports a problem on a visible place; an open report of the same kind on it gets one more.</summary>
    /// <exception cref="ModerationException">NOT_FOUND (no such visible place) or BAD_USER_INPUT.</exception>
    public async Task<Receipt> ReportAsync(long siteId, ReportKind kind, string? message, string? email, string? honeypot = null,
        CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        message = values.Message(message, "message", "Message", errors);
        email = SiteValues.Email(email, "email", errors);
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => new { s.Id,
            s.DepartementCode }).FirstOrDefaultAsync(ct)
            ?? throw new ModerationException(ModerationException.NotFound, $"Aucun lieu n° {siteId} dans le catalogue.");
        if (errors.Count > 0) throw ModerationException.Invalid(errors);
        if (Honeypot(honeypot)) return new Receipt(0, ReportThanks);

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        long id;
        int count;
        // One open report per place and kind (a partial unique index): a new report joins it, whoever comes first.
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO reports (site_id, departement_code, kind, status, count, first_reported_at, last_reported_at)
            VALUES ($1, $2, $3, 'Open', 1, $4, $4)
            ON CONFLICT (site_id, kind) WHERE status = 'Open'
            DO UPDATE SET count = reports.count + 1, last_reported_at = EXCLUDED.last_reported_at
            RETURNING id, count
            """, (NpgsqlConnection)db.Database.GetDbConnection()))
        {
            upsert.Parameters.Add(new NpgsqlParameter { Value = site.Id });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)site.DepartementCode ?? DBNull.Value,
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            upsert.Parameters.Add(new NpgsqlParameter { Value = kind.ToString() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (id, count) = (reader.GetInt64(0), reader.GetInt32(1));
        }
        db.ReportEntries.Add(new ReportEntry { ReportId = id, At = now, Message = message, Email = email });
        AuditLog.Add(db, http.HttpContext, AuditActions.ReportSubmitted, null, Anonymous, SiteTarget(site.Id),
            new { report = id, kind = kind.ToString(), count, withEmail = email is not null });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Receipt(id, ReportThanks);
    }

    /// <summary>
    /// Proposes a new place: its commune is found from the position, else the INSEE code, else the postcode and name; a
    /// place without a position is put at its commune's centre. The record is checked as an imported one would be.
    /// </summary>
    /// <exception cref="ModerationException">BAD_USER_INPUT.</exception>
    public async Task<Receipt> SuggestAsync(IReadOnlyDictionary<SiteField, object?> fields, string? message, string? email,
        string? honeypot = null, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        message = values.Message(message, "message", "Message", errors);
        email = SiteValues.Email(email, "email", errors);
        var given = fields.ToDictionary();
        foreach (var field in given.Keys.Where(f => !EditableFields.ByName.ContainsKey(f.GraphQLName) || f.Name.StartsWith("Temporarily",
            StringComparison.Ordinal)))
            errors.Add(new(field.GraphQLName, $"{field.GraphQLName} ne se propose pas."));
        if (errors.Count > 0) throw ModerationException.Invalid(errors);
        var commune = await FindCommuneAsync(given, errors, ct);
        var codeInsee = SiteFields.ByName[nameof(Site.CodeInsee)];
        if (commune is not null && given.GetValueOrDefault(codeInsee) is null) given[codeInsee] = commune.Code;
        if (given.GetValueOrDefault(SiteFields.Location) is null && commune?.Centre is { } centre)
            given[SiteFields.Location] = SiteValues.Position(centre.Y, centre.X);
        // Every refusal at once: the commune's and the record's.
        Core.Schema.SchemaV1Record? record = null;
        try
        {
            record = values.NewRecord(given, commune?.DepartementCode, SiteValues.Today(clock));
        }
        catch (ModerationException e) when (e.Code == ModerationException.BadUserInput)
        {
            errors.AddRange(e.Fields.Where(f => !errors.Any(known => known.Field == f.Field)));
        }
        if (errors.Count > 0 || record is null || commune is null) throw ModerationException.Invalid(errors);
        if (Honeypot(honeypot)) return new Receipt(0, SuggestionThanks);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var suggestion = new Suggestion
        {
            Record = record.ToDictionary(), Message = message, Email = email, CommuneCode = commune.Code,
                DepartementCode = commune.DepartementCode,
            Status = SuggestionStatus.Open, CreatedAt = clock.GetUtcNow(),
        };
        db.Suggestions.Add(suggestion);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, http.HttpContext, AuditActions.SuggestionSubmitted, null, Anonymous, "suggestion:" + suggestion.Id,
            new { record.Nom, commune = commune.Code, withEmail = email is not null });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Receipt(suggestion.Id, SuggestionThanks);
    }

    /// <summary>
    /// Mails a one-time link that lets whoever reads <paramref name="email"/> manage the place, when the place's record
    /// lists that address (its <c>courriels</c>); the catalogue publishes them, so saying which is no secret.
    /// </summary>
    /// <exception cref="ModerationException">NOT_FOUND, BAD_USER_INPUT (an address the record does not list), MAIL_NOT_SENT.</exception>
    public async Task<string> RequestClaimAsync(long siteId, string? email, CancellationToken ct = default)
    {
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => new { s.Id, s.Nom,
            s.Courriels }).FirstOrDefaultAsync(ct)
            ?? throw new ModerationException(ModerationException.NotFound, $"Aucun lieu n° {siteId} dans le catalogue.");
        var address = email?.Trim() ?? "";
        var listed = site.Courriels.FirstOrDefault(c => string.Equals(c, address, StringComparison.OrdinalIgnoreCase));
        if (listed is null)
            throw ModerationException.Invalid([new("email", site.Courriels.Count == 0
                ? "La fiche de ce lieu n'indique aucune adresse électronique : demandez à la coordination de votre département "
                  + "de l'ajouter."
                : "Cette adresse n'est pas l'une de celles que la fiche du lieu indique. Utilisez l'adresse publiée, ou demandez à la "
                  + "coordination de votre département de corriger la fiche.")]);
        var lifetime = options.Value.ClaimLinkLifetime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var token = await OneTimeLinks.IssueAsync(db, OneTimeLinkPurpose.SiteClaim, null, listed, site.Id, lifetime, ct);
        AuditLog.Add(db, http.HttpContext, AuditActions.ClaimRequested, null, Anonymous, SiteTarget(site.Id), new { email = listed });
        await db.SaveChangesAsync(ct);
        try
        {
            await mail.SendAsync(ModerationMails.ClaimLink(listed, site.Nom,
                accounts.Value.Link(ModerationPages.ClaimPath + "?jeton=" + token), lifetime), ct);
        }
        catch (MailNotSentException e)
        {
            log.LogError("Claim link not sent: {Reason}", e.Message);
            throw new ModerationException("MAIL_NOT_SENT", "Le message n'a pas pu être envoyé ; réessayez plus tard.");
        }
        await transaction.CommitAsync(ct);
        return $"Un lien vient d'être envoyé à {listed}. Il ne sert qu'une fois et expire dans {lifetime.TotalHours:0} heures.";
    }

    public static string SiteTarget(long siteId) => "site:" + siteId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool Honeypot(string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        log.LogInformation("A form with its honeypot field filled in was answered and dropped");
        return true;
    }

    private async Task<Commune?> FindCommuneAsync(Dictionary<SiteField, object?> given, List<FieldError> errors, CancellationToken ct)
    {
        var communes = db.Communes.AsNoTracking();
        if (given.GetValueOrDefault(SiteFields.Location) is Point point)
        {
            var point4326 = SiteValues.Position(point.Y, point.X);
            var found = await communes.Where(c => c.Shape!.Geometry!.Intersects(point4326)).FirstOrDefaultAsync(ct);
            if (found is null) errors.Add(new("location", "Position sur la carte : elle n'est dans aucune commune française."));
            return found;
        }
        var name = given.GetValueOrDefault(SiteFields.ByName[nameof(Site.CommuneName)]) as string;
        var code = (given.GetValueOrDefault(SiteFields.ByName[nameof(Site.CodeInsee)]) as string)?.Trim().ToUpperInvariant();
        var postcode = (given.GetValueOrDefault(SiteFields.ByName[nameof(Site.CodePostal)]) as string)?.Trim();
        if (!string.IsNullOrEmpty(code))
        {
            var current = await db.CommuneCodes.AsNoTracking().Where(c => c.Code == code).Select(c => c.CommuneCodeCurrent)
                .FirstOrDefaultAsync(ct) ?? code;
            var byCode = await communes.FirstOrDefaultAsync(c => c.Code == current, ct);
            if (byCode is null) errors.Add(new("codeInsee", $"Code INSEE de la commune : aucune commune n'a le code « {code} »."));
            return byCode;
        }
        var candidates = string.IsNullOrEmpty(postcode) ? [] : await communes.Where(c => c.CodesPostaux.Contains(postcode)).ToListAsync(ct);
        var folded = name is null ? "" : TextSearch.Fold(name);
        var match = candidates.Where(c => TextSearch.Fold(c.Nom) == folded)
            .ToList() is [var one] ? one : candidates is [var only] ? only : null;
        if (match is null)
            errors.Add(new("communeName", candidates.Count == 0
                ? "Commune : aucune commune n'a ce code postal."
                : $"Commune : ce code postal est celui de plusieurs communes ({string.Join(", ", candidates.Take(8).Select(c => c.Nom))})"
                  + " ; écrivez le nom exact de la commune."));
        return match;
    }
}
