using InclusionMap.Server.Tests.GraphQL;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>The real server with its default limits, recording the SQL it sends while serving requests.</summary>
public sealed class CoverageCacheServer : ServerFixture
{
    public SqlCapture Sql { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) =>
        Sql.Listen(new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database!);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Sql.Dispose();
    }
}
