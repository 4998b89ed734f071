using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class UpdateSiteInputType : InputObjectGraphType
{
    public UpdateSiteInputType()
    {
        Name = "UpdateSiteInput";
        Description = "The fields of a place to change; a field left out stays as it is, a field set to null is cleared. A structure may "
            + "change horaires, services, telephone, courriels, siteWeb, priseRdv and the temporary closure of its own place.";
        Field<NonNullGraphType<IdGraphType>>("id");
        SiteInputFields.Add(this);
    }
}
