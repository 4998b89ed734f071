using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class ClaimSiteInputType : InputObjectGraphType
{
    public ClaimSiteInputType()
    {
        Name = "ClaimSiteInput";
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("email")
            .Description("One of the place's courriels: the link to manage it is mailed there.");
    }
}
