using System.ComponentModel.DataAnnotations;
using InclusionMap.Core;
using InclusionMap.Data;
using InclusionMap.Server.Cli;

namespace InclusionMap.Server.Catalogue;

/// <summary>Where the catalogue lives and where its open data comes from, resolved once from configuration and the command line.</summary>
public sealed record CatalogueSettings
{
    public const string DatabaseName = "inclusionmap";

    /// <summary>An external database; null means the embedded private cluster.</summary>
    public string? ConnectionString { get; init; }
    /// <summary>Optional read-only connection string (streaming replicas) for the API's queries.</summary>
    public string? ReadConnectionString { get; init; }
    /// <summary>Optional connection string of the web's writes (the editor role) on the primary.</summary>
    public string? WebWriteConnectionString { get; init; }
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

    /// <summary>
    /// The connection string for what the web writes: the configured editor one, else the private cluster's editor role;
    /// null for an external database without one (the web then writes through <see cref="EffectiveConnectionString"/>).
    /// </summary>
    public string? EffectiveWebWriteConnectionString =>
        WebWriteConnectionString ?? (Embedded ? PrivateCluster(CatalogueRoles.Editor) : null);

    private string PrivateCluster(string role) =>
        PostgresCluster.ConnectionStringFor(ClusterOptions, DatabaseName, maxPoolSize: 100, user: role);

    /// <summary>The settings of a host configuration (<see cref="CatalogueOptions"/> and the connection strings), checked.</summary>
    /// <param name="configuration">The host configuration.</param>
    /// <param name="dataDirectoryGiven">
    /// When the data directory was given explicitly, its absence is an error rather than "no seed".
    /// </param>
    /// <exception cref="UsageException">A setting is out of its range, or a data directory given does not exist.</exception>
    public static CatalogueSettings From(IConfiguration configuration, bool dataDirectoryGiven = false)
    {
        var options = configuration.GetSection(CatalogueOptions.Section).Get<CatalogueOptions>() ?? new CatalogueOptions();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            throw new UsageException(string.Join(" ",
                errors.Select(e => $"{CatalogueOptions.Section}:{string.Join(",", e.MemberNames)}: {e.ErrorMessage}")));
        var connection = configuration.GetConnectionString("Catalogue");
        var reads = configuration.GetConnectionString("CatalogueReadOnly");
        var webWrites = configuration.GetConnectionString("CatalogueEditor");
        string? data;
        try
        {
            data = OpenDataDirectory.Resolve(options.DataDirectory);
        }
        catch (DirectoryNotFoundException e)
        {
            if (dataDirectoryGiven) throw new UsageException(e.Message);
            data = null;
        }
        return new CatalogueSettings
        {
            ConnectionString = string.IsNullOrWhiteSpace(connection) ? null : connection,
            ReadConnectionString = string.IsNullOrWhiteSpace(reads) ? null : reads,
            WebWriteConnectionString = string.IsNullOrWhiteSpace(webWrites) ? null : webWrites,
            StateDirectory = Path.GetFullPath(options.StateDirectory ?? PostgresClusterOptions.DefaultStateDirectory()),
            DataDirectory = data,
            Seed = options.Seed,
            ReaderStatementTimeout = TimeSpan.FromSeconds(options.ReaderStatementTimeoutSeconds),
        };
    }
}
