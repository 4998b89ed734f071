using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class GeoPointInputType : InputObjectGraphType
{
    public GeoPointInputType()
    {
        Name = "GeoPointInput";
        Description = "A WGS84 point.";
        Field<NonNullGraphType<FloatGraphType>>("latitude");
        Field<NonNullGraphType<FloatGraphType>>("longitude");
    }
}
