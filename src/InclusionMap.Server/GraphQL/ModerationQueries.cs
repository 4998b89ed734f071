using GraphQL;
using GraphQL.Types;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

/// <summary>The moderation fields of the root query.</summary>
public static class ModerationQueries
{
    public static void AddModerationQueries(this ObjectGraphType type) =>
        type.Field<NonNullGraphType<ModerationQueueType>>("moderationQueue")
            .Description("The open reports, suggestions and conflicts of one département, or of all those of the signed-in coordinator "
                + "(every département for an admin). Signed in only, as for mutations.")
            .Argument<StringGraphType>("departement")
            .ResolveAsync(ctx => MutationType.RunAsync(ctx, (s, _) => s.GetRequiredService<ModerationDesk>().QueueAsync(
                MutationType.Signed(ctx), ctx.GetArgument<string?>("departement"), ctx.CancellationToken)));
}
