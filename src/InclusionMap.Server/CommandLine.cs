namespace InclusionMap.Server;

/// <summary>
/// The command line: <c>inclusionmap [verb] [options] [files]</c>. The verb defaults to <c>serve</c>. Options this
/// program does not know are passed to ASP.NET Core (e.g. <c>--urls</c>), so the host's own settings keep working.
/// </summary>
public sealed class CommandLine
{
    public string Verb { get; private init; } = "serve";
    public List<string> Arguments { get; } = [];
    public Dictionary<string, string?> Options { get; } = new(StringComparer.Ordinal);
    public List<string> HostArguments { get; } = [];

    /// <summary>Options that take a value, per verb ("*" = every verb).</summary>
    private static readonly Dictionary<string, string[]> ValueOptions = new()
    {
        ["*"] = ["--data", "--state-dir", "--connection", "--read-connection"],
        ["import"] = ["--format", "--report", "--source", "--threshold"],
        ["dedup"] = ["--departement", "--threshold"],
        ["export"] = ["--format", "--departement", "--out"],
        ["gaps"] = ["--departement", "--communes", "--services", "--max-distance", "--suggest", "--format", "--out"],
    };

    private static readonly Dictionary<string, string[]> FlagOptions = new()
    {
        ["*"] = ["--no-seed", "--help", "-h"],
        ["import"] = ["--dry-run", "--strict", "--no-wait"],
        ["dedup"] = ["--explain", "--no-wait"],
    };

    public static readonly string[] Verbs = ["serve", "import", "dedup", "export", "gaps", "help"];

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var verb = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
        if (!Verbs.Contains(verb)) throw new UsageException($"Unknown command '{verb}'.");
        var line = new CommandLine { Verb = verb };
        var values = ValueOptions["*"].Concat(ValueOptions.GetValueOrDefault(verb, [])).ToHashSet();
        var flags = FlagOptions["*"].Concat(FlagOptions.GetValueOrDefault(verb, [])).ToHashSet();
        for (var i = verb == args.ElementAtOrDefault(0) ? 1 : 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.Contains('=') && arg.StartsWith("--", StringComparison.Ordinal) ? (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]) : (arg, null);
            if (values.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value."));
                line.Options[name] = value;
            }
            else if (flags.Contains(name)) line.Options[name] = null;
            else if (arg.StartsWith('-'))
            {
                if (verb != "serve") throw new UsageException($"Unknown option '{arg}' for '{verb}'.");
                // Host options (--urls, --environment, --Key=Value...) go to ASP.NET Core with their value.
                line.HostArguments.Add(arg);
                if (inline is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) line.HostArguments.Add(args[++i]);
            }
            else line.Arguments.Add(arg);
        }
        return line;
    }

    public bool Has(string option) => Options.ContainsKey(option);
    public string? Get(string option) => Options.GetValueOrDefault(option);

    public const string Usage = """
        InclusionMap: the map and directory of places offering digital help in France.

        Usage: inclusionmap [command] [options]

        Commands:
          serve                  Run the server (default). With no connection string, starts a private PostGIS
                                 cluster in the state directory and seeds it with the open data on first start.
          import FILE|URL...     Apply migrations and import the given files (places or territories).
              --format F         Force the format (detected from content otherwise): schema-v1-csv, schema-v1-json,
                                 schema-v0.1-csv, schema-v0.1-json, france-services-csv, conseillers-numeriques-json,
                                 regions-json, departements-json, departements-geojson, communes-geojson,
                                 communes-population-csv, census-csv, communes-json, ifn-communes-csv
              --source NAME      Dataset name for the upsert key (default: the file name, or the last segment of the
                                 URL given, without date and extension)
              --report R.json    Write the full report (every rejected row and warning) to R.json
              --dry-run          Do everything, report, write nothing
              --strict           Any rejected row rejects the whole import
              --threshold X      Deduplication threshold, 0..1 (default 0.8, kept for later runs): higher merges less
              --no-wait          Fail at once if another import or dedup is running (default: wait for it)
          dedup                  Re-run the deduplication of the whole catalogue (one transaction).
              --explain          Only list the candidate pairs, merged and near-miss, with their scores
              --departement N    Limit the explanation to one département
              --threshold X      As for import (kept for later runs)
              --no-wait          As for import
          export                 Write the catalogue as open data (to stdout, or --out FILE).
              --format F         schema-v1-csv, schema-v1-json or geojson (RFC 7946)
              --departement N    Only the sites of this département
              --out FILE         Write to FILE
          gaps                   Coverage-gap analysis for coordinators (docs/coverage.md).
              --departement N    The département to study (or --communes; "all" for the whole country)
              --communes C,C...  Any set of communes (INSEE codes)
              --services S,S...  What counts as help: official labels of services, e.g. "Aide aux démarches
                                 administratives" (all sites when absent)
              --max-distance M   Distance beyond which people are far from help, metres (default 10000)
              --suggest P        How many new sites to suggest (default 3, at most 20)
              --format F         table (default), csv (every commune), geojson (communes with their figures)
                                 or png (the printable map; needs --out)
              --out FILE         Write to FILE
          help                   Show this help.

        Options for every command:
          --data DIR             Open-data directory (default: $INCLUSIONMAP_DATA, else ../shared/data beside the repository)
          --state-dir DIR        Private cluster directory (default: $INCLUSIONMAP_STATE, else ~/.local/share/inclusionmap,
                                 or /var/lib/inclusionmap as root)
          --connection CS        PostgreSQL connection string (default: $ConnectionStrings__Catalogue; none = private cluster)
          --read-connection CS   Read-only connection string for API queries, e.g. streaming replicas
                                 (default: $ConnectionStrings__CatalogueReadOnly; none = the main connection)
          --no-seed              Do not seed an empty catalogue
          --urls URL             Where to listen (default http://127.0.0.1:5080)
        """;
}

/// <summary>A command-line mistake: the message is shown with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
