using System.CommandLine;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server.Cli;

/// <summary>
/// The options every command takes, and the one host configuration they feed: <c>appsettings.json</c>, then the
/// environment, then the command line (these options, and for <c>serve</c> the host's own such as <c>--urls</c>).
/// </summary>
public sealed class GlobalOptions
{
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Open-data directory (default: $INCLUSIONMAP_DATA, else ../shared/data beside the repository)",
        Recursive = true,
    };

    public Option<string?> StateDirectory { get; } = new("--state-dir")
    {
        Description = "Private cluster directory (default: $INCLUSIONMAP_STATE, else ~/.local/share/inclusionmap, "
            + "or /var/lib/inclusionmap as root)",
        Recursive = true,
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "PostgreSQL connection string (default: $ConnectionStrings__Catalogue; none = the private cluster)",
        Recursive = true,
    };

    public Option<string?> ReadConnection { get; } = new("--read-connection")
    {
        Description = "Read-only connection string for API queries, e.g. streaming replicas "
            + "(default: $ConnectionStrings__CatalogueReadOnly)",
        Recursive = true,
    };

    public Option<bool> NoSeed { get; } = new("--no-seed") { Description = "Do not seed an empty catalogue", Recursive = true };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, StateDirectory, Connection, ReadConnection, NoSeed }) command.Options.Add(option);
    }

    /// <summary>The host configuration of a command: <c>appsettings.json</c>, the environment, then the command line.</summary>
    public IConfigurationRoot Configuration(ParseResult parse, IEnumerable<string>? hostArguments = null) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine([.. hostArguments ?? []])
        .AddInMemoryCollection(Settings(parse))
        .Build();

    /// <summary>This command line's global options as configuration keys (those not given are left to the other sources).</summary>
    private Dictionary<string, string?> Settings(ParseResult parse)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (value is not null) settings[key] = value;
        }
        Set(CatalogueOptions.Section + ":" + nameof(CatalogueOptions.DataDirectory), parse.GetValue(Data));
        Set(CatalogueOptions.Section + ":" + nameof(CatalogueOptions.StateDirectory), parse.GetValue(StateDirectory));
        Set("ConnectionStrings:Catalogue", parse.GetValue(Connection));
        Set("ConnectionStrings:CatalogueReadOnly", parse.GetValue(ReadConnection));
        if (parse.GetValue(NoSeed)) settings[CatalogueOptions.Section + ":" + nameof(CatalogueOptions.Seed)] = "false";
        return settings;
    }

    /// <summary>Where the catalogue lives and where its open data comes from, for this command line.</summary>
    /// <exception cref="UsageException">A setting is out of its range.</exception>
    public CatalogueSettings Catalogue(ParseResult parse, IEnumerable<string>? hostArguments = null) =>
        CatalogueSettings.From(Configuration(parse, hostArguments), dataDirectoryGiven: parse.GetValue(Data) is not null);
}
