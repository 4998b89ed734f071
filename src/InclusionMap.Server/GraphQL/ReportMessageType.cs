using GraphQL.Types;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ReportMessageType : ObjectGraphType<ReportEntry>
{
    public ReportMessageType()
    {
        Name = "ReportMessage";
        Description = "One report joined to the item: when, and what the resident wrote (their address is never shown).";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field<StringGraphType>("message").Resolve(ctx => ctx.Source.Message);
        Field<NonNullGraphType<BooleanGraphType>>("canBeAnswered")
            .Description("The resident left an address: resolveReport's answer reaches them.")
            .Resolve(ctx => ctx.Source.Email is not null);
    }
}
