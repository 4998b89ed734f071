using System.CommandLine;
using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Data.Sources;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap source list|add|remove|sync</c>: the producers the catalogue follows (<see cref="SourceRegistry"/>) and
/// their sync (<see cref="SourceSync"/>). Each prints what it did on stdout; details go to stderr.
/// </summary>
public static class SourceCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("source", "The producers the catalogue follows: list, add, remove, sync (docs/operations.md)");

        var list = new Command("list", "Every source with its schedule, last sync and status");
        list.SetAction(parse => RunAsync(global.Catalogue(parse), "list", async (database, _) =>
        {
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            foreach (var (source, run) in await SourceRegistry.ListAsync(db, CancellationToken.None))
            {
                var lastRun = run is null ? "-" : string.Create(CultureInfo.InvariantCulture,
                    $"read {run.Read}, new {run.Inserted}, changed {run.Updated}, retired {run.Retired}, rejected {run.Rejected}");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{source.Name}\t{source.Format}\t{source.Schedule ?? "manual"}\t{source.Status}\t"
                    + $"{source.LastAttemptAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-"}\t{lastRun}\t{source.Url}"));
            }
            return 0;
        }));

        var addName = new Argument<string>("NAME") { Description = "The source's name (lower-case letters, digits, '.', '_', '-')" };
        var addUrl = new Argument<string>("URL")
        {
            Description = "An http(s) URL, or a file path (relative to the open-data directory, or absolute)",
        };
        var format = new Option<string>("--format")
        {
            Description = "The file's format: "
                + string.Join(", ", Enum.GetValues<ImportFormat>().Where(f => f.IsPlaces()).Select(f => f.Name())),
            Required = true,
        };
        var schedule = new Option<string?>("--schedule")
        {
            Description = "A cron schedule, e.g. \"15 5 * * *\" (05:15 daily); none: synced only when asked",
        };
        var timeZone = new Option<string>("--time-zone")
        {
            Description = "The schedule's time zone",
            DefaultValueFactory = _ => SourceDefaults.TimeZone,
        };
        var dataset = new Option<string?>("--dataset")
        {
            Description = "The dataset of its records (default: the name); the seed's name to take over its records",
        };
        var partial = new Option<bool>("--partial")
        {
            Description = "Its files list only some of its records: never retire a record missing from one",
        };
        var maxRetired = new Option<double>("--max-retired")
        {
            Description = "Refuse a file that would retire more than this share of its records (0..1)",
            DefaultValueFactory = _ => SourceDefaults.MaxRetiredShare,
        };
        var owner = new Option<string?>("--owner") { Description = "Who publishes it" };
        var licence = new Option<string?>("--licence") { Description = "Its licence" };
        var attribution = new Option<string?>("--attribution") { Description = "The attribution to show" };
        var add = new Command("add", "Follow a new source")
        {
            addName, addUrl, format, schedule, timeZone, dataset, partial, maxRetired, owner, licence, attribution,
        };
        add.SetAction(parse => RunAsync(global.Catalogue(parse), "add", async (database, _) =>
        {
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            var name = parse.GetValue(addName)!;
            var source = await SourceRegistry.AddAsync(db, new CatalogueSource
            {
                Name = name, Url = parse.GetValue(addUrl)!, Format = parse.GetValue(format)!, Dataset = parse.GetValue(dataset) ?? name,
                Schedule = parse.GetValue(schedule), TimeZone = parse.GetValue(timeZone)!, Complete = !parse.GetValue(partial),
                MaxRetiredShare = parse.GetValue(maxRetired), Owner = parse.GetValue(owner), Licence = parse.GetValue(licence),
                Attribution = parse.GetValue(attribution),
            }, CancellationToken.None);
            var next = SourceRegistry.NextDue(source);
            Console.WriteLine($"added {source.Name} ({source.Format}, dataset {source.Dataset}); "
                + (next is { } n ? $"next sync {n.ToString("u", CultureInfo.InvariantCulture)}" : "synced only when asked"));
            return 0;
        }));

        var removeName = new Argument<string>("NAME") { Description = "The source to stop following (its records stay)" };
        var remove = new Command("remove", "Stop following a source; the places it brought stay as they are") { removeName };
        remove.SetAction(parse => RunAsync(global.Catalogue(parse), "remove", async (database, _) =>
        {
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            var name = parse.GetValue(removeName)!;
            if (!await SourceRegistry.RemoveAsync(db, name, CancellationToken.None))
                throw new ArgumentException($"no source named {name}.");
            Console.WriteLine($"removed {name}");
            return 0;
        }));

        var syncName = new Argument<string>("NAME") { Description = "The source to sync now" };
        var accept = new Option<bool>("--accept-retirements") { Description = "Apply the file whatever share of its records it retires" };
        var noWait = new Option<bool>("--no-wait") { Description = "Fail at once when another sync is running" };
        var sync = new Command("sync", "Sync a source now: download (conditionally), import, deduplicate, report")
        {
            syncName, accept, noWait,
        };
        sync.SetAction(parse =>
        {
            var settings = global.Catalogue(parse);
            var configuration = global.Configuration(parse);
            return RunAsync(settings, "sync", async (database, ct) =>
            {
                using var http = RemoteFile.CreateHttpClient();
                using var loggerFactory = CommandDatabase.Logging();
                var options = new SyncOptions
                {
                    Wait = !parse.GetValue(noWait), AcceptRetirements = parse.GetValue(accept), DataDirectory = settings.DataDirectory,
                    Download = (configuration.GetSection(DownloadOptions.SectionName).Get<DownloadOptions>() ?? new DownloadOptions())
                        .Validate(),
                };
                var result = await new SourceSync(database.DataSource, http, loggerFactory.CreateLogger("sync"))
                    .SyncAsync(parse.GetValue(syncName)!, options, ct);
                Console.WriteLine($"{result.Source}: {result.Status}: {result.Message}");
                return result.Status is SourceStatus.Applied or SourceStatus.Unchanged ? 0 : 1;
            });
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(add);
        command.Subcommands.Add(remove);
        command.Subcommands.Add(sync);
        return command;
    }

    /// <summary>
    /// Opens the catalogue (joining a running server's cluster), runs <paramref name="action"/>, turns failures into one
    /// line on stderr.
    /// </summary>
    private static async Task<int> RunAsync(CatalogueSettings settings, string verb,
        Func<CommandDatabase, CancellationToken, Task<int>> action)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("source");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            // A catalogue the server never started has the declared sources too.
            await using (var db = CatalogueDatabase.CreateContext(database.DataSource)) await SourceRegistry.DeclareAsync(db, cancel.Token);
            return await action(database, cancel.Token);
        }
        catch (Exception e) when (e is ArgumentException or ImportException or CatalogueBusyException or StateDirectoryInUseException
                                   or Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
        {
            var message = e is Npgsql.NpgsqlException ? e.Message : (e.InnerException as Npgsql.NpgsqlException)?.Message ?? e.Message;
            Console.Error.WriteLine($"source {verb}: {message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"source {verb}: cancelled.");
            return 130;
        }
    }
}
