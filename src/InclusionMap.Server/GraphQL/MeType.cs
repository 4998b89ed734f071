using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using InclusionMap.Server.Accounts;

namespace InclusionMap.Server.GraphQL;

/// <summary>The signed-in account, as its claims say (<see cref="AccountClaimTypes"/>).</summary>
public sealed class MeType : ObjectGraphType<ClaimsPrincipal>
{
    public MeType()
    {
        Name = "Me";
        Description = "The account a request is signed in as: by a personal API token (Authorization: Bearer) or a session with its antiforgery token.";
        Field<NonNullGraphType<StringGraphType>>("email").Resolve(ctx => ctx.Source.FindFirstValue(ClaimTypes.Email));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Description("admin, coordinator or structure.")
            .Resolve(ctx => ctx.Source.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("departements").Description("The départements a coordinator works on.")
            .Resolve(ctx => ctx.Source.FindAll(AccountClaimTypes.Departement).Select(c => c.Value).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("sites").Description("The sites a structure edits.")
            .Resolve(ctx => ctx.Source.FindAll(AccountClaimTypes.Site).Select(c => c.Value).ToList());
        Field<NonNullGraphType<StringGraphType>>("authentication").Description("api-token or session.")
            .Resolve(ctx => ctx.Source.HasClaim(AccountClaimTypes.Method, "api-token") ? "api-token" : "session");
    }
}

/// <summary>The account fields of the root query.</summary>
public static class AccountQueries
{
    public static void AddAccountQueries(this ObjectGraphType type) =>
        type.Field<MeType>("me")
            .Description("The signed-in account; null for an anonymous request. Needs a personal API token, or a POST with the session cookie and its antiforgery token (docs/accounts.md).")
            .Resolve(ctx =>
            {
                var account = ctx.UserContext.TryGetValue(RequestAccount.UserContextKey, out var value) && value is RequestAccount a ? a : RequestAccount.Anonymous;
                if (account.IsAuthenticated) return account.User;
                if (account.Problem is { } problem) throw new ExecutionError(problem) { Code = "CSRF_TOKEN_REQUIRED" };
                return null;
            });
}
