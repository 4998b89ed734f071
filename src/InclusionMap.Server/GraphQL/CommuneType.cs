using GraphQL.Types;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

public sealed class CommuneType : ObjectGraphType<Commune>
{
    public CommuneType(Microsoft.Extensions.Options.IOptions<Data.Sites.SiteSearchOptions> search)
    {
        Name = "Commune";
        Description = "A commune of the official geographic code (COG 2026).";
        Field(x => x.Code).Description("INSEE code.");
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Nom);
        Field(x => x.DepartementCode);
        Field(x => x.RegionCode);
        Field(x => x.Population, nullable: true).Description("Population municipale (INSEE populations légales).");
        Field(x => x.CodesPostaux);
        Field(x => x.AreaKm2, nullable: true);
        Field<FloatGraphType>("density").Description("Inhabitants per km².")
            .Resolve(ctx => ctx.Source.Population is { } p && ctx.Source.AreaKm2 is > 0 and var a ? p / a : null);
        Field<EpciType>("epci").Resolve(ctx => ctx.Source.EpciSiren is null ? null : ctx.Source);
        Field<NonNullGraphType<CensusType>>("census").Resolve(ctx => ctx.Source);
        Field<GeoJsonGraphType>("centre")
            .Description("A point inside the commune (PostGIS ST_PointOnSurface).")
            .Resolve(ctx => ctx.Source.Centre);
        Field<GeoJsonGraphType>("geometry").Description("The commune's MultiPolygon (IGN ADMIN EXPRESS, simplified).")
            .Cost(QueryCost.Statement)
            .ResolveAsync(async ctx => ctx.Source.Shape?.Geometry
                ?? await ctx.RequestServices!.GetRequiredService<CatalogueDbContext>().Set<CommuneShape>()
                    .AsNoTracking().Where(s => s.Code == ctx.Source.Code).Select(s => s.Geometry)
                    .FirstOrDefaultAsync(ctx.CancellationToken));
        Field<DepartementType>("departement").Cost(QueryCost.Statement).ResolveAsync(async ctx =>
            await ctx.RequestServices!.GetRequiredService<CatalogueDbContext>().Departements.AsNoTracking()
                .Where(d => d.Code == ctx.Source.DepartementCode)
                .Select(d => new Departement
                {
                    Code = d.Code, Nom = d.Nom, RegionCode = d.RegionCode, Zone = d.Zone, Population = d.Population,
                })
                .FirstOrDefaultAsync(ctx.CancellationToken));
        Field<NonNullGraphType<IntGraphType>>("siteCount")
            .Description("Number of places in the commune (counted for a whole page of communes at once).")
            .Cost(QueryCost.Object)
            .ResolveAsync(async ctx =>
                await ctx.RequestServices!.GetRequiredService<PagePreload>().SiteCountAsync(ctx.Source.Code, ctx.CancellationToken));
        Field<NonNullGraphType<SiteConnectionType>>("sites").Description("The sites of this commune.")
            .WithSiteArguments(search.Value).ResolveAsync(async ctx => await SitesField.ResolveAsync(ctx, parentCommune: ctx.Source.Code));
        this.AddCommuneAnalysis();
    }
}
