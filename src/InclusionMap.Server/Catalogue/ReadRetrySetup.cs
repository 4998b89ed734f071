using InclusionMap.Data;
using Npgsql;

namespace InclusionMap.Server.Catalogue;

public static class ReadRetrySetup
{
    /// <summary>
    /// One <see cref="ReadRetry"/> over the API's read data source (settings <c>InclusionMap:ReadRetry</c>), shared by
    /// site searches, EF Core's read contexts, tiles, coverage and health.
    /// </summary>
    public static WebApplicationBuilder AddReadRetry(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptions<ReadRetryOptions>(ReadRetryOptions.Section);
        builder.Services.AddSingleton(sp =>
            new ReadRetry(sp.GetRequiredService<NpgsqlDataSource>(), options, sp.GetRequiredService<ILogger<ReadRetry>>()));
        return builder;
    }
}
