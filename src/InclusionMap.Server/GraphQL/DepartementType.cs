using GraphQL.Types;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

public sealed class DepartementType : ObjectGraphType<Departement>
{
    public DepartementType(Microsoft.Extensions.Options.IOptions<Data.Sites.SiteSearchOptions> search)
    {
        Name = "Departement";
        Field(x => x.Code);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Nom);
        Field(x => x.RegionCode);
        Field(x => x.Zone).Description("metro, drom or com.");
        Field(x => x.Population, nullable: true);
        Field<GeoJsonGraphType>("geometry").Cost(QueryCost.Statement).ResolveAsync(async ctx =>
            ctx.Source.Geometry ?? await ctx.RequestServices!.GetRequiredService<CatalogueDbContext>().Departements.AsNoTracking()
                .Where(d => d.Code == ctx.Source.Code).Select(d => d.Geometry).FirstOrDefaultAsync(ctx.CancellationToken));
        Field<NonNullGraphType<CommuneConnectionType>>("communes")
            .Argument<StringGraphType>("search")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .Argument<StringGraphType>("after")
            .Cost(QueryCost.Statement).ListSize(slicingArgument: "first", sizedFields: ["edges", "nodes"])
            .ResolveAsync(async ctx => await CommunesField.ResolveAsync(ctx, ctx.Source.Code));
        Field<NonNullGraphType<SiteConnectionType>>("sites").Description("The sites of this département.")
            .WithSiteArguments(search.Value)
            .ResolveAsync(async ctx => await SitesField.ResolveAsync(ctx, parentDepartement: ctx.Source.Code));
        this.AddDepartementAnalysis();
    }
}
