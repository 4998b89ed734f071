using GraphQL.Types;
using InclusionMap.Core.Places;

namespace InclusionMap.Server.GraphQL;

public sealed class ProvenanceType : ObjectGraphType<SiteSource>
{
    public ProvenanceType()
    {
        Name = "Provenance";
        Description = "One source record merged into the site: where it comes from and when.";
        Field(x => x.Dataset).Description("Dataset name (file name without its release date).");
        Field(x => x.SourceId).Description("The record's identifier in its dataset.");
        Field(x => x.SourceFile);
        Field(x => x.Format);
        Field(x => x.RowNumber);
        Field<NonNullGraphType<DateOnlyGraphType>>("dateMaj").Resolve(ctx => ctx.Source.DateMaj);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("importedAt").Resolve(ctx => ctx.Source.ImportedAt);
    }
}
