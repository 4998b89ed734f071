using GraphQL;
using GraphQL.Types;
using InclusionMap.Server.Accounts;

namespace InclusionMap.Server.GraphQL;

/// <summary>The account fields of the root query.</summary>
public static class AccountQueries
{
    public static void AddAccountQueries(this ObjectGraphType type) =>
        type.Field<MeType>("me")
            .Description("The signed-in account; null for an anonymous request. "
                + "Needs a personal API token, or a POST with the session cookie and its antiforgery token (docs/accounts.md).")
            .Resolve(ctx =>
            {
                var account = ctx.UserContext.TryGetValue(RequestAccount.UserContextKey, out var value) && value is RequestAccount a
                    ? a
                    : RequestAccount.Anonymous;
                if (account.IsAuthenticated) return account.User;
                if (account.Problem is { } problem) throw new ExecutionError(problem) { Code = "CSRF_TOKEN_REQUIRED" };
                return null;
            });
}
