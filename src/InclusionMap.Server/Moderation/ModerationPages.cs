using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Accounts.Pages;
using InclusionMap.Server.Moderation.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// The moderation pages, French, rendered on the server as plain forms (no script; each carries its antiforgery token):
/// for residents « Signaler un problème » (<c>/lieux/{id}/signaler</c>), « Proposer un lieu » (<c>/proposer-un-lieu</c>)
/// and, for a structure, « Gérer ce lieu » (<c>/lieux/{id}/gerer</c>, then the mailed link <c>/revendiquer</c>); for
/// signed-in accounts <c>/moderation</c> (a coordinator's queue, a structure's places) and the edit form
/// <c>/moderation/lieux/{id}</c>. They call the same services as the GraphQL mutations.
/// </summary>
public static class ModerationPages
{
    public const string SuggestPath = "/proposer-un-lieu";
    public const string ClaimPath = "/revendiquer";
    public const string QueuePath = "/moderation";

    /// <summary>The honeypot field of the residents' forms: hidden from people, filled in by bots.</summary>
    public const string HoneypotField = "site_internet_confirmation";

    public static string PlacePath(long id) => "/lieux/" + id.ToString(CultureInfo.InvariantCulture);
    public static string ReportPath(long id) => PlacePath(id) + "/signaler";
    public static string ManagePath(long id) => PlacePath(id) + "/gerer";
    public static string EditPath(long id) => QueuePath + "/lieux/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The paths whose POST is a resident's contribution (<see cref="Limits.RequestClass.Contribution"/>).</summary>
    public static bool IsContribution(PathString path) =>
        path == SuggestPath || path.StartsWithSegments("/lieux", out var rest) && rest.Value is { } r
            && (r.EndsWith("/signaler", StringComparison.Ordinal) || r.EndsWith("/gerer", StringComparison.Ordinal));

    public static IEndpointRouteBuilder MapModerationPages(this IEndpointRouteBuilder app)
    {
        var residents = app.MapGroup("").WithTags("contributions").ExcludeFromDescription();
        residents.MapGet("/lieux/{id:long}/signaler", ReportFormAsync);
        residents.MapPost("/lieux/{id:long}/signaler", ReportAsync);
        residents.MapGet(SuggestPath, (HttpContext http) => Page<SuggestPlacePage>(http, new { Values = FormValues.Empty }));
        residents.MapPost(SuggestPath, SuggestAsync);
        residents.MapGet("/lieux/{id:long}/gerer", ManageFormAsync);
        residents.MapPost("/lieux/{id:long}/gerer", ManageAsync);
        residents.MapGet(ClaimPath, ClaimFormAsync);
        residents.MapPost(ClaimPath, ClaimAsync);

        var moderation = app.MapGroup(QueuePath).RequireAuthorization(AccountPages.SessionPolicy).WithTags("moderation")
            .ExcludeFromDescription();
        moderation.MapGet("", QueueAsync);
        moderation.MapGet("/lieux/{id:long}", EditFormAsync);
        moderation.MapPost("/lieux/{id:long}", EditAsync);
        moderation.MapPost("/lieux/{id:long}/conflits", ConflictAsync);
        moderation.MapPost("/signalements/{id:long}", ResolveReportAsync);
        moderation.MapPost("/propositions/{id:long}/accepter", (HttpContext http, ModerationDesk desk, long id,
            [FromForm] string? reponse) =>
            DeskAsync(http, () => desk.AcceptSuggestionAsync(Editor.Of(http.User), id, reponse, http.RequestAborted),
                "Proposition acceptée : le lieu est ajouté."));
        moderation.MapPost("/propositions/{id:long}/refuser", (HttpContext http, ModerationDesk desk, long id,
            [FromForm] string? reponse) =>
            DeskAsync(http, () => desk.RefuseSuggestionAsync(Editor.Of(http.User), id, reponse, http.RequestAborted),
                "Proposition refusée."));
        return app;
    }

    // ---- Residents ----

    private static async Task<IResult> ReportFormAsync(HttpContext http, CatalogueDbContext db, long id)
    {
        var place = await PlaceAsync(db, id, http.RequestAborted);
        return place is null ? NotFound(http) : Page<ReportProblemPage>(http, new { Place = place });
    }

    private static async Task<IResult> ReportAsync(HttpContext http, CatalogueDbContext db, Contributions contributions, long id,
        [FromForm] string? probleme, [FromForm] string? message, [FromForm] string? email)
    {
        var place = await PlaceAsync(db, id, http.RequestAborted);
        if (place is null) return NotFound(http);
        var form = http.Request.Form;
        if (!Enum.TryParse<ReportKind>(probleme, out var kind) || !Enum.IsDefined(kind))
            return Page<ReportProblemPage>(http, new { Place = place, Kind = probleme, Message = message, Email = email,
                Errors = (IReadOnlyList<FieldError>)[new("probleme", "Choisissez ce qui ne va pas.")] }, StatusCodes.Status400BadRequest);
        try
        {
            var receipt = await contributions.ReportAsync(id, kind, message, email, form[HoneypotField], http.RequestAborted);
            return Message(http, "Merci !", receipt.Message, PlacePath(id), "Retour au lieu");
        }
        catch (ModerationException e) when (e.Code == ModerationException.BadUserInput)
        {
            var again = new { Place = place, Kind = probleme, Message = message, Email = email, Errors = e.Fields };
            return Page<ReportProblemPage>(http, again, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> SuggestAsync(HttpContext http, Contributions contributions)
    {
        var form = http.Request.Form;
        var values = FormValues.From(form);
        try
        {
            var receipt = await contributions.SuggestAsync(values.Typed(SuggestPlacePage.Fields), values.Text("message"),
                values.Text("email"), form[HoneypotField], http.RequestAborted);
            return Message(http, "Merci !", receipt.Message, "/", "Retour à la carte");
        }
        catch (ModerationException e) when (e.Code == ModerationException.BadUserInput)
        {
            return Page<SuggestPlacePage>(http, new { Values = values, Errors = e.Fields }, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> ManageFormAsync(HttpContext http, CatalogueDbContext db, long id)
    {
        var place = await PlaceAsync(db, id, http.RequestAborted);
        return place is null ? NotFound(http) : Page<ManagePlacePage>(http, new { Place = place });
    }

    private static async Task<IResult> ManageAsync(HttpContext http, CatalogueDbContext db, Contributions contributions, long id,
        [FromForm] string? email)
    {
        var place = await PlaceAsync(db, id, http.RequestAborted);
        if (place is null) return NotFound(http);
        if (!string.IsNullOrEmpty(http.Request.Form[HoneypotField])) return Message(http, "Lien envoyé", "Un lien vient d'être envoyé.",
            PlacePath(id), "Retour au lieu");
        try
        {
            var sent = await contributions.RequestClaimAsync(id, email, http.RequestAborted);
            return Message(http, "Lien envoyé", sent, PlacePath(id), "Retour au lieu");
        }
        catch (ModerationException e) when (e.Code == ModerationException.BadUserInput)
        {
            return Page<ManagePlacePage>(http, new { Place = place, Email = email, Errors = e.Fields }, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> ClaimFormAsync(HttpContext http, SiteClaims claims, [FromQuery] string? jeton)
    {
        http.Response.Headers.CacheControl = "no-store";
        var link = await claims.PeekAsync(jeton, http.RequestAborted);
        return link is { } l
            ? Page<ClaimPlacePage>(http, new { Token = jeton, l.Email, l.Place })
            : Message(http, "Lien expiré", AccountPages.LinkNotUsable, "/", "Retour à la carte", StatusCodes.Status400BadRequest,
                alert: true);
    }

    private static async Task<IResult> ClaimAsync(HttpContext http, SiteClaims claims, [FromForm] string? jeton)
    {
        http.Response.Headers.CacheControl = "no-store";
        var (siteId, problem) = await claims.ClaimAsync(jeton, http, http.RequestAborted);
        return siteId is { } id
            ? TypedResults.LocalRedirect(EditPath(id))
            : Message(http, "Impossible de gérer ce lieu", problem!, "/", "Retour à la carte", StatusCodes.Status400BadRequest,
                alert: true);
    }

    // ---- Signed in ----

    private static async Task<IResult> QueueAsync(HttpContext http, ModerationDesk desk, EditorPlaces places,
        [FromQuery] string? departement, [FromQuery] string? fait)
    {
        var editor = Editor.Of(http.User);
        http.Response.Headers.CacheControl = "no-store";
        if (editor.Role == AccountRole.Structure)
            return Page<QueuePage>(http, new { Editor = editor, Places = await places.PlacesAsync(editor, http.RequestAborted),
                Done = fait });
        try
        {
            var queue = await desk.QueueAsync(editor, string.IsNullOrEmpty(departement) ? null : departement, http.RequestAborted);
            return Page<QueuePage>(http, new { Editor = editor, Queue = queue, Done = fait });
        }
        catch (ModerationException e)
        {
            return Refusal(http, e);
        }
    }

    private static async Task<IResult> EditFormAsync(HttpContext http, SiteEditor editor, EditorPlaces places, long id,
        [FromQuery] string? enregistre)
    {
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            var account = Editor.Of(http.User);
            var site = await editor.FindAsync(id, http.RequestAborted);
            if (!await places.MayEditAsync(account, site)) return AccountPages.Forbidden();
            return Page<EditSitePage>(http, new
            {
                Site = site, Editor = account, Values = FormValues.Of(site), Conflicts = await places.ConflictsAsync(id,
                    http.RequestAborted),
                Saved = enregistre == "1",
            });
        }
        catch (ModerationException e)
        {
            return Refusal(http, e);
        }
    }

    private static async Task<IResult> EditAsync(HttpContext http, SiteEditor editor, EditorPlaces places, long id)
    {
        http.Response.Headers.CacheControl = "no-store";
        var values = FormValues.From(http.Request.Form);
        try
        {
            var account = Editor.Of(http.User);
            var site = await editor.FindAsync(id, http.RequestAborted);
            if (!await places.MayEditAsync(account, site)) return AccountPages.Forbidden();
            // Only what was changed on the form: a field left as it was is not edited (nor checked again).
            var current = FormValues.Of(site);
            var shown = values.Shown.Where(EditableFields.ByName.ContainsKey).Select(n => EditableFields.ByName[n]);
            var changed = shown.Where(f => !values.SameAs(current, f)).ToList();
            try
            {
                await editor.UpdateAsync(account, id, values.Typed(changed), http.RequestAborted);
                return TypedResults.LocalRedirect(EditPath(id) + "?enregistre=1");
            }
            catch (ModerationException e) when (e.Code == ModerationException.BadUserInput)
            {
                return Page<EditSitePage>(http, new
                {
                    Site = site, Editor = account, Values = values, Conflicts = await places.ConflictsAsync(id, http.RequestAborted),
                        Errors = e.Fields,
                }, StatusCodes.Status400BadRequest);
            }
        }
        catch (ModerationException e)
        {
            return Refusal(http, e);
        }
    }

    private static Task<IResult> ConflictAsync(HttpContext http, SiteEditor editor, long id, [FromForm] string? champ,
        [FromForm] string? garder) =>
        DeskAsync(http, () => editor.ResolveConflictAsync(Editor.Of(http.User), id, champ ?? "", garder == "modification",
            http.RequestAborted),
            "Conflit réglé.", EditPath(id) + "?enregistre=1");

    private static Task<IResult> ResolveReportAsync(HttpContext http, ModerationDesk desk, long id, [FromForm] string? resolution,
        [FromForm] string? reponse) =>
        DeskAsync(http, () => desk.ResolveReportAsync(Editor.Of(http.User), id,
            resolution == "corrige" ? ReportStatus.Fixed : resolution == "pas-un-probleme" ? ReportStatus.NotAProblem : ReportStatus.Open,
            reponse, http.RequestAborted), "Signalement traité.");

    /// <summary>Runs a moderation action and comes back to the queue (or <paramref name="back"/>); a refusal gets its page.</summary>
    private static async Task<IResult> DeskAsync<T>(HttpContext http, Func<Task<T>> action, string done, string? back = null)
    {
        try
        {
            await action();
            return TypedResults.LocalRedirect(back ?? QueuePath + "?fait=" + Uri.EscapeDataString(done));
        }
        catch (ModerationException e)
        {
            return Refusal(http, e);
        }
    }

    /// <summary>A refusal as a page: 401/403/404/409/503 or 400 with the message; nothing was written.</summary>
    private static IResult Refusal(HttpContext http, ModerationException e) => e.Code switch
    {
        ModerationException.Forbidden => AccountPages.Forbidden(),
        ModerationException.NotFound => Message(http, "Introuvable", e.Message, QueuePath, "Retour à la modération",
            StatusCodes.Status404NotFound, alert: true),
        ModerationException.Unauthenticated => TypedResults.LocalRedirect(AccountPages.SignInPath),
        ModerationException.AlreadyResolved => Message(http, "Déjà traité", e.Message, QueuePath, "Retour à la modération",
            StatusCodes.Status409Conflict, alert: true),
        ModerationException.CatalogueBusy => Message(http, "Réessayez dans un instant", e.Message, QueuePath, "Retour à la modération",
            StatusCodes.Status503ServiceUnavailable, alert: true),
        _ => Message(http, "Action refusée", e.Message, QueuePath, "Retour à la modération", StatusCodes.Status400BadRequest,
            alert: true),
    };

    private static IResult NotFound(HttpContext http) =>
        Message(http, "Lieu introuvable", "Ce lieu n'est pas (ou plus) dans le catalogue.", "/", "Retour à la carte",
            StatusCodes.Status404NotFound, alert: true);

    private static IResult Message(HttpContext http, string title, string text, string link, string linkText,
        int status = StatusCodes.Status200OK,
        bool alert = false) =>
        Page<MessagePage>(http, new { Title = title, Text = text, Alert = alert, LinkPath = link, LinkText = linkText }, status);

    private static RazorComponentResult<T> Page<T>(HttpContext http, object parameters, int status = StatusCodes.Status200OK)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        http.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<T>(parameters) { StatusCode = status };
    }

    /// <summary>A visible place as the residents' forms show it; null when there is none.</summary>
    private static Task<PlaceSummary?> PlaceAsync(CatalogueDbContext db, long id, CancellationToken ct) =>
        db.Sites.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new PlaceSummary(s.Id, s.Nom, s.Adresse, s.CodePostal, s.CommuneName,
                s.Courriels.Count > 0)).FirstOrDefaultAsync(ct);
}
