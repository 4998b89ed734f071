using System.Globalization;
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
    /// <summary>The private cluster's API role cancels a statement after this long (InclusionMap:ReaderStatementTimeoutSeconds).</summary>
    public TimeSpan ReaderStatementTimeout { get; init; } = CatalogueRoles.DefaultReaderStatementTimeout;

    public bool Embedded => ConnectionString is null;

    public PostgresClusterOptions ClusterOptions => new(StateDirectory);

    /// <summary>For migrations and writes: the configured connection string, or the private cluster as the catalogue's owner.</summary>
    public string EffectiveConnectionString => ConnectionString ?? PrivateCluster(CatalogueRoles.Owner);

    /// <summary>
    /// The connection string for the API's queries: the configured read-only one, else the private cluster's read-only
    /// role; null for an external database without one (reads then use <see cref="EffectiveConnectionString"/>).
    /// </summary>
    public string? EffectiveReadConnectionString => ReadConnectionString ?? (Embedded ? PrivateCluster(CatalogueRoles.Reader) : null);

    private string PrivateCluster(string role) =>
        PostgresCluster.ConnectionStringFor(ClusterOptions, DatabaseName, maxPoolSize: 100, user: role);

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
            ReaderStatementTimeout = ReaderTimeout(configuration),
        };
    }

    private static TimeSpan ReaderTimeout(IConfiguration configuration)
    {
        const string key = "InclusionMap:ReaderStatementTimeoutSeconds";
        var text = configuration[key];
        if (text is null) return CatalogueRoles.DefaultReaderStatementTimeout;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || seconds is not (>= 0.001 and <= 3600))
            throw new UsageException($"{key} must be a number of seconds between 0.001 and 3600, not '{text}'.");
        return TimeSpan.FromSeconds(seconds);
    }
}
