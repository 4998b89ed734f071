using GraphQL.Types;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ModerationQueueType : ObjectGraphType<ModerationQueue>
{
    public ModerationQueueType()
    {
        Name = "ModerationQueue";
        Description = "The open items of a coordinator's départements.";
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("departements")
            .Description("The départements covered; null: every one (an admin).")
            .Resolve(ctx => ctx.Source.Departements);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportType>>>>("reports")
            .Description("Open reports, most reported first, then newest.")
            .Resolve(ctx => ctx.Source.Reports);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SuggestionType>>>>("suggestions")
            .Description("Open suggestions, newest first.")
            .Resolve(ctx => ctx.Source.Suggestions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EditConflictType>>>>("conflicts")
            .Description("Edits a newer source record contradicts.")
            .Resolve(ctx => ctx.Source.Conflicts);
    }
}
