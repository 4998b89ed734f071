using System.Globalization;
using GraphQL.Types;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ContributionReceiptType : ObjectGraphType<Receipt>
{
    public ContributionReceiptType()
    {
        Name = "ContributionReceipt";
        Description = "What a report, a suggestion or a claim answers: a number to quote and a French message for the person.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("message").Resolve(ctx => ctx.Source.Message);
    }
}
