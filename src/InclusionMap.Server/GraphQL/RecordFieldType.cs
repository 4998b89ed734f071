using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class RecordFieldType : ObjectGraphType<KeyValuePair<string, string?>>
{
    public RecordFieldType()
    {
        Name = "RecordField";
        Description = "A field of a national schema record: its schema name and text (lists joined with |).";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Key);
        Field<StringGraphType>("value").Resolve(ctx => ctx.Source.Value);
    }
}
