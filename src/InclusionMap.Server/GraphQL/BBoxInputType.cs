using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class BBoxInputType : InputObjectGraphType
{
    public BBoxInputType()
    {
        Name = "BBoxInput";
        Description = "A longitude/latitude rectangle in degrees.";
        Field<NonNullGraphType<FloatGraphType>>("west");
        Field<NonNullGraphType<FloatGraphType>>("south");
        Field<NonNullGraphType<FloatGraphType>>("east");
        Field<NonNullGraphType<FloatGraphType>>("north");
    }
}
