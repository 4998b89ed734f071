using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>Float</c> as the specification has it: finite. graphql-dotnet's accepts an infinite variable and lets an infinite
/// or NaN result through to the JSON writer, which cannot write it (the whole answer then failed); here the value is
/// refused (<c>BAD_USER_INPUT</c>) or the field fails alone (<c>INTERNAL_ERROR</c>, logged).
/// </summary>
public sealed class FiniteFloatGraphType : FloatGraphType
{
    public FiniteFloatGraphType()
    {
        Name = "Float";
    }

    public override object? ParseValue(object? value) => base.ParseValue(value) switch
    {
        double d when !double.IsFinite(d) => ThrowValueConversionError(value),
        var parsed => parsed,
    };

    public override object? Serialize(object? value) => value switch
    {
        double d when !double.IsFinite(d) => ThrowSerializationError(value),
        float f when !float.IsFinite(f) => ThrowSerializationError(value),
        _ => base.Serialize(value),
    };
}
