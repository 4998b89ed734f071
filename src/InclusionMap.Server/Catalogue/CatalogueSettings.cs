using InclusionMap.Core;
using InclusionMap.Data;

namespace InclusionMap.Server.Catalogue;

/// <summary>Where the catalogue lives and where its open data comes from, resolved once from configuration and the command line.</summary>
public sealed record CatalogueSettings
{
    public const string DatabaseName = "inclusionmap";

    /// <summary>An external database; null means the embedded private cluster.</summary>
    public string? ConnectionString { get; init; }
    /// <summary>Optional read-only connection string (streaming replicas) for the API's queries.</summary>
    public string? ReadConnectionString { get; init; }
    public required string StateDirectory { get; init; }
    /// <summary>Null when not found; only seeding needs it.</summary>
    public string? DataDirectory { get; init; }
    public bool Seed { get; init; } = true;

    public bool Embedded => ConnectionString is null;

    public PostgresClusterOptions ClusterOptions => new(StateDirectory);

    /// <summary>The connection string the server uses: the configured one, or the private cluster's socket.</summary>
    public string EffectiveConnectionString =>
        ConnectionString ?? PostgresCluster.ConnectionStringFor(ClusterOptions, DatabaseName, maxPoolSize: 100);

    public static CatalogueSettings From(IConfiguration configuration, CommandLine line)
    {
        var connection = line.Get("--connection") ?? configuration.GetConnectionString("Catalogue");
        var reads = line.Get("--read-connection") ?? configuration.GetConnectionString("CatalogueReadOnly");
        string? data;
        try
        {
            data = OpenDataDirectory.Resolve(line.Get("--data") ?? configuration["InclusionMap:DataDirectory"]);
        }
        catch (DirectoryNotFoundException) when (line.Get("--data") is null)
        {
            data = null;
        }
        return new CatalogueSettings
        {
            ConnectionString = string.IsNullOrWhiteSpace(connection) ? null : connection,
            ReadConnectionString = string.IsNullOrWhiteSpace(reads) ? null : reads,
            StateDirectory = Path.GetFullPath(line.Get("--state-dir") ?? configuration["InclusionMap:StateDirectory"] ?? PostgresClusterOptions.DefaultStateDirectory()),
            DataDirectory = data,
            Seed = !line.Has("--no-seed"),
        };
    }
}
