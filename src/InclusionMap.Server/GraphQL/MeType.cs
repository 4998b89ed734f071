using System.Security.Claims;
using GraphQL.Types;
using InclusionMap.Server.Accounts;

namespace InclusionMap.Server.GraphQL;

/// <summary>The signed-in account, as its claims say (<see cref="AccountClaimTypes"/>).</summary>
public sealed class MeType : ObjectGraphType<ClaimsPrincipal>
{
    public MeType()
    {
        Name = "Me";
        Description = "The account a request is signed in as: by a personal API token (Authorization: Bearer) "
            + "or a session with its antiforgery token.";
        Field<NonNullGraphType<StringGraphType>>("email").Resolve(ctx => ctx.Source.FindFirstValue(ClaimTypes.Email));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Description("admin, coordinator or structure.")
            .Resolve(ctx => ctx.Source.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("departements")
            .Description("The départements a coordinator works on.")
            .Resolve(ctx => ctx.Source.FindAll(AccountClaimTypes.Departement).Select(c => c.Value).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("sites").Description("The sites a structure edits.")
            .Resolve(ctx => ctx.Source.FindAll(AccountClaimTypes.Site).Select(c => c.Value).ToList());
        Field<NonNullGraphType<StringGraphType>>("authentication").Description("api-token or session.")
            .Resolve(ctx => ctx.Source.HasClaim(AccountClaimTypes.Method, "api-token") ? "api-token" : "session");
    }
}
