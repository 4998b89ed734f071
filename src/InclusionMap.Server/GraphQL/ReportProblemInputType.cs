using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class ReportProblemInputType : InputObjectGraphType
{
    public ReportProblemInputType()
    {
        Name = "ReportProblemInput";
        Description = "A problem on a place, as a resident reports it (no account needed).";
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<ReportKindType>>("kind");
        Field<StringGraphType>("message").Description("What is wrong, in the resident's words (2,000 characters at most).");
        Field<StringGraphType>("email").Description("Optional: an address to be told what was done (kept until the report is resolved).");
    }
}
