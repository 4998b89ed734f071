using System.Globalization;
using GraphQL;
using GraphQL.Types;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Writes, over POST only (<see cref="GraphQLApi"/>): what residents send without an account (<c>reportProblem</c>,
/// <c>suggestPlace</c>, <c>claimSite</c>, each within the small per-address budget of contributions) and what signed-in
/// coordinators and structures do (a personal API token, or the session with its antiforgery token). Resolvers only read
/// arguments and write answers: the rules are in <see cref="Contributions"/>, <see cref="SiteEditor"/> and
/// <see cref="ModerationDesk"/>. Errors carry <c>UNAUTHENTICATED</c>, <c>FORBIDDEN</c> (HTTP 401 and 403 when nothing
/// else was answered), <c>BAD_USER_INPUT</c> (with <c>extensions.fields</c>), <c>NOT_FOUND</c>,
/// <c>ALREADY_RESOLVED</c>, <c>CATALOGUE_BUSY</c>, <c>MAIL_NOT_SENT</c> or <c>CSRF_TOKEN_REQUIRED</c>.
/// </summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";

        Field<NonNullGraphType<ContributionReceiptType>>("reportProblem")
            .Description("Reports a problem on a place (no account). Reports of the same kind on the same place are one item of the "
                + "queue, with a count.")
            .Argument<NonNullGraphType<ReportProblemInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, (s, input) => s.GetRequiredService<Contributions>().ReportAsync(
                Id(input, "siteId"), (ReportKind)input["kind"]!, Text(input, "message"), Text(input, "email"), ct: ctx.CancellationToken)));

        Field<NonNullGraphType<ContributionReceiptType>>("suggestPlace")
            .Description("Proposes a place to add (no account); the coordinators of its département accept or refuse it.")
            .Argument<NonNullGraphType<SuggestPlaceInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, (s, input) => s.GetRequiredService<Contributions>().SuggestAsync(
                SiteInputFields.Read(input), Text(input, "message"), Text(input, "email"), ct: ctx.CancellationToken)));

        Field<NonNullGraphType<ContributionReceiptType>>("claimSite")
            .Description("Mails a one-time link to manage a place to one of the addresses its record lists (courriels); following it makes "
                + "the address's account a structure that edits the place.")
            .Argument<NonNullGraphType<ClaimSiteInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, async (s, input) => new Receipt(Id(input, "siteId"),
                await s.GetRequiredService<Contributions>().RequestClaimAsync(Id(input, "siteId"), Text(input, "email"),
                    ctx.CancellationToken))));

        Field<NonNullGraphType<SiteType>>("updateSite")
            .Description("Changes fields of a place (signed in: a coordinator of its département, its structure, an admin). "
                + "The values are checked as an import checks a record; edited fields win over the sources until a source "
                + "publishes a newer date_maj.")
            .Argument<NonNullGraphType<UpdateSiteInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, async (s, input) =>
            {
                var site = await s.GetRequiredService<SiteEditor>().UpdateAsync(Signed(ctx), Id(input, "id"), SiteInputFields.Read(input),
                    ctx.CancellationToken);
                s.GetRequiredService<PagePreload>().Register([site]);
                return site;
            }));

        Field<NonNullGraphType<ReportType>>("resolveReport")
            .Description("Resolves an open report of one's départements: FIXED or NOT_A_PROBLEM, with an optional answer mailed to "
                + "the reporters.")
            .Argument<NonNullGraphType<ResolveReportInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, async (s, input) =>
            {
                var report = await s.GetRequiredService<ModerationDesk>().ResolveReportAsync(Signed(ctx), Id(input, "id"),
                    (ReportStatus)input["resolution"]!, Text(input, "answer"), ctx.CancellationToken);
                return new QueueReport(report, null, null);
            }));

        Field<NonNullGraphType<SuggestionType>>("acceptSuggestion")
            .Description("Accepts an open suggestion of one's départements: the place is created, with InclusionMap as its provenance.")
            .Argument<NonNullGraphType<SuggestionDecisionInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, (s, input) => s.GetRequiredService<ModerationDesk>().AcceptSuggestionAsync(
                Signed(ctx), Id(input, "id"), Text(input, "answer"), ctx.CancellationToken)));

        Field<NonNullGraphType<SuggestionType>>("refuseSuggestion")
            .Description("Refuses an open suggestion of one's départements.")
            .Argument<NonNullGraphType<SuggestionDecisionInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, (s, input) => s.GetRequiredService<ModerationDesk>().RefuseSuggestionAsync(
                Signed(ctx), Id(input, "id"), Text(input, "answer"), ctx.CancellationToken)));

        Field<NonNullGraphType<SiteType>>("resolveConflict")
            .Description("Settles a conflict between an edited field and a newer source record: keep the EDITED value or the SOURCE's.")
            .Argument<NonNullGraphType<ResolveConflictInputType>>("input")
            .ResolveAsync(ctx => RunAsync(ctx, async (s, input) =>
            {
                var site = await s.GetRequiredService<SiteEditor>().ResolveConflictAsync(Signed(ctx), Id(input, "siteId"),
                    (string)input["field"]!, (bool)input["keep"]!, ctx.CancellationToken);
                s.GetRequiredService<PagePreload>().Register([site]);
                return site;
            }));
    }

    /// <summary>Runs a resolver, turning a refusal into a coded GraphQL error.</summary>
    internal static async Task<object?> RunAsync<T>(IResolveFieldContext ctx,
        Func<IServiceProvider, IDictionary<string, object?>, Task<T>> resolve)
    {
        try
        {
            var input = ctx.Arguments?.ContainsKey("input") == true ? ctx.GetArgument<Dictionary<string, object?>>("input") : [];
            return await resolve(ctx.RequestServices!, input);
        }
        catch (ModerationException e)
        {
            var error = new ExecutionError(e.Message) { Code = e.Code };
            // A refused input names its fields, under extensions.fields (CodedErrorInfoProvider copies extensions).
            if (e.Fields.Count > 0)
                error.AddExtension("fields",
                    e.Fields.Select(f => new Dictionary<string, string> { ["field"] = f.Field, ["message"] = f.Message }).ToList());
            throw error;
        }
    }

    /// <summary>The signed-in account of the request (a bearer token, or a session with its antiforgery token).</summary>
    internal static Editor Signed(IResolveFieldContext ctx)
    {
        var account = ctx.UserContext.TryGetValue(RequestAccount.UserContextKey, out var value) && value is RequestAccount a
            ? a
            : RequestAccount.Anonymous;
        if (!account.IsAuthenticated && account.Problem is { } problem) throw new ExecutionError(problem) { Code = "CSRF_TOKEN_REQUIRED" };
        return Editor.Of(account.User);
    }

    private static long Id(IDictionary<string, object?> input, string name) =>
        long.TryParse(input[name]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ModerationException(ModerationException.NotFound, $"« {input[name]} » n'est pas un numéro connu.");

    private static string? Text(IDictionary<string, object?> input, string name) =>
        input.TryGetValue(name, out var value) ? value as string : null;
}
