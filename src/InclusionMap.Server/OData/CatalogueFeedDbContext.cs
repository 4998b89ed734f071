using InclusionMap.Core.Territories;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.OData;

/// <summary>
/// The OData feed's view of the catalogue model: the same model (sites, communes and their shapes, provenance), plus
/// what a spreadsheet or Power BI reads beside it: each département's figures aggregated from its communes and sites,
/// and the région ↔ départements navigation. Read-only, never migrated (the tables belong to
/// <see cref="CatalogueDbContext"/>).
/// </summary>
public sealed class CatalogueFeedDbContext(DbContextOptions<CatalogueFeedDbContext> options) : CatalogueDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<Departement>(d =>
        {
            // A query rather than the table, so that figures aggregated from communes and sites are plain columns that
            // $filter, $orderby and $select treat like any other (EF composes over it as a subquery).
            d.ToSqlQuery("""
                SELECT d.code, d.nom, d.region_code, d.zone, d.population,
                       (SELECT count(*) FROM sites s WHERE s.departement_code = d.code AND s.retired_at IS NULL) AS site_count,
                       a.people_in_need, a.population_15_plus, a.people_in_need / nullif(a.population_15_plus, 0) AS illectronism_rate
                FROM departements d
                LEFT JOIN LATERAL (SELECT sum(c.people_in_need) AS people_in_need, sum(c.population_15_plus) AS population_15_plus
                                   FROM communes c WHERE c.departement_code = d.code) a ON true
                """);
            d.Ignore(x => x.Geometry);
            d.Property(x => x.SiteCount);
            d.Property(x => x.PeopleInNeed);
            d.Property(x => x.Population15Plus).HasColumnName("population_15_plus");
            d.Property(x => x.IllectronismRate);
            d.HasOne(x => x.Region).WithMany(r => r.Departements).HasForeignKey(x => x.RegionCode);
        });
    }
}
