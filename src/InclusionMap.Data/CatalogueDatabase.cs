using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>How every part of InclusionMap connects to the catalogue (one place for Npgsql + NTS + naming settings).</summary>
public static class CatalogueDatabase
{
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    public static DbContextOptionsBuilder<CatalogueDbContext> Configure(DbContextOptionsBuilder<CatalogueDbContext> options, string connectionString) =>
        Configure(options, CreateDataSource(connectionString));

    public static DbContextOptionsBuilder<CatalogueDbContext> Configure(DbContextOptionsBuilder<CatalogueDbContext> options, NpgsqlDataSource dataSource)
    {
        Configure((DbContextOptionsBuilder)options, dataSource);
        return options;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource)
    {
        options.UseNpgsql(dataSource, npgsql => npgsql
                .UseNetTopologySuite()
                .MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
        return options;
    }

    public static CatalogueDbContext CreateContext(NpgsqlDataSource dataSource) =>
        new(Configure(new DbContextOptionsBuilder<CatalogueDbContext>(), dataSource).Options);
}
