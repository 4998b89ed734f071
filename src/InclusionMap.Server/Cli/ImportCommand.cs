using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Errors;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap import FILE|URL... [--format F] [--source NAME] [--report R.json] [--dry-run] [--strict]</c>:
/// applies the migrations and imports exactly the given files, in one transaction. Details go to stderr; the
/// one-line summary goes to stdout. URLs are downloaded by <see cref="RemoteFile"/>; runs wait for one another
/// (<see cref="CatalogueWriteLock"/>), or fail at once with --no-wait.
/// </summary>
public static class ImportCommand
{
    public static Command Create(GlobalOptions global)
    {
        var files = new Argument<string[]>("FILE|URL")
        {
            Description = "Files or http(s) URLs of places or territories",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string?>("--format")
        {
            Description = "Force the format (detected from content otherwise): "
                + string.Join(", ", Enum.GetValues<ImportFormat>().Select(f => f.Name())),
        };
        var source = new Option<string?>("--source")
        {
            Description = "Dataset name for the upsert key (default: the file name without date and extension)",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Write the full report (every rejected row and warning) to this JSON file",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Do everything, report, write nothing" };
        var strict = new Option<bool>("--strict") { Description = "Any rejected row rejects the whole import" };
        var threshold = ThresholdOption();
        var noWait = new Option<bool>("--no-wait")
        {
            Description = "Fail at once when another import or dedup is running, instead of waiting",
        };
        var complete = new Option<bool>("--complete")
        {
            Description = "Each file lists every record of its dataset: retire the known records it does not hold (refused above 20 %)",
        };
        var accept = new Option<bool>("--accept-retirements")
        {
            Description = "With --complete: apply whatever share of records it retires",
        };
        var command = new Command("import", "Apply migrations and import the given files (places or territories), in one transaction")
        {
            files, format, source, report, dryRun, strict, threshold, noWait, complete, accept,
        };
        command.SetAction(parse => RunAsync(global.Catalogue(parse), global.Configuration(parse),
            new Arguments(parse.GetValue(files)!, parse.GetValue(format), parse.GetValue(source), parse.GetValue(report),
                parse.GetValue(dryRun), parse.GetValue(strict), parse.GetValue(threshold), parse.GetValue(noWait),
                parse.GetValue(complete), parse.GetValue(accept))));
        return command;
    }

    /// <summary>What the command line asks of an import.</summary>
    private sealed record Arguments(string[] Files, string? Format, string? Source, string? Report, bool DryRun, bool Strict,
        double? Threshold, bool NoWait, bool Complete, bool AcceptRetirements);

    /// <summary><c>--threshold X</c>, a deduplication threshold between 0 and 1 (import and dedup).</summary>
    internal static Option<double?> ThresholdOption()
    {
        var option = new Option<double?>("--threshold")
        {
            Description = "Deduplication threshold, 0..1 (default 0.8, kept for later runs): higher merges less",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && value is not (>= 0 and <= 1.01))
                result.AddError("--threshold must be a number between 0 and 1, not "
                    + $"{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    private static async Task<int> RunAsync(CatalogueSettings settings, IConfiguration configuration, Arguments line)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("import");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancel.Cancel(); });
        var downloads = new List<RemoteFile>();
        CommandDatabase? database = null;
        try
        {
            var format = line.Format is { } f ? ImportFormats.Parse(f) : (ImportFormat?)null;
            var files = new List<ImportFile>();
            foreach (var argument in line.Files)
            {
                // A local file first; anything else that names a scheme is a download (RemoteFile refuses all but http/https).
                // What exists locally but is no regular file (a directory, a pipe) is refused by the importer, with the reason.
                var path = Uri.TryCreate(argument, UriKind.Absolute, out var uri) && !uri.IsFile && !Path.Exists(argument)
                    ? await DownloadAsync(uri, configuration, downloads, cancel.Token)
                    : Path.Exists(argument) ? argument : throw new ImportException($"{argument}: no such file.");
                files.Add(new ImportFile(path, format, line.Source, line.Complete,
                    line.Complete ? Data.Sources.SourceDefaults.MaxRetiredShare : null));
            }
            database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            var options = new ImportOptions
            {
                DryRun = line.DryRun, Strict = line.Strict, DedupThreshold = line.Threshold, WaitForWriteLock = !line.NoWait,
                AcceptRetirements = line.AcceptRetirements, DataDirectory = settings.DataDirectory,
            };
            var report = await new CatalogueImporter(database.DataSource, log).ImportAsync(files, options, cancel.Token);
            await WriteReportAsync(line.Report, report);
            Console.WriteLine(report.Summary + (report.DryRun ? " (dry run: nothing written)" : ""));
            return 0;
        }
        catch (StrictImportException e)
        {
            await WriteReportAsync(line.Report, e.Report);
            foreach (var issue in e.Report.Files.SelectMany(r => r.Issues).Where(i => i.Severity == ImportIssue.Rejected).Take(20))
                Console.Error.WriteLine($"  row {issue.Row} ({issue.Id}): {issue.Field} = '{issue.Value}': {issue.Reason}");
            Console.Error.WriteLine($"import: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is ImportException or RetirementRefusedException or CatalogueBusyException
                                   or StateDirectoryInUseException or FileNotFoundException or DirectoryNotFoundException
                                   or HttpRequestException)
        {
            return await RefuseAsync(line.Report, e.Message);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
        {
            return await RefuseAsync(line.Report, $"database error, nothing was written: {(e.InnerException ?? e).Message}");
        }
        catch (OperationCanceledException)
        {
            await RefuseAsync(line.Report, "cancelled; nothing was written.");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException
                                   or InvalidOperationException or FormatException or NotSupportedException or OverflowException)
        {
            // A failure no reader expected (a defect to fix): one line, as for every refusal, without internals.
            var message = ErrorHandling.Exposes(e.Message) ? "" : ": " + e.Message.Split('\n', 2)[0].Trim();
            return await RefuseAsync(line.Report,
                $"unexpected failure (a defect: please report it with the file), nothing was written{message}");
        }
        finally
        {
            foreach (var download in downloads) download.Dispose();
            if (database is not null) await database.DisposeAsync();
        }
    }

    /// <summary>
    /// A run refused as a whole: one line on stderr, <c>import: reason</c>, and the report saying so (not committed, the
    /// reason).
    /// </summary>
    private static async Task<int> RefuseAsync(string? reportPath, string reason)
    {
        Console.Error.WriteLine($"import: {reason}");
        var now = DateTimeOffset.UtcNow;
        await WriteReportAsync(reportPath, new ImportReport { StartedAt = now, FinishedAt = now, Error = reason });
        return 1;
    }

    private static async Task WriteReportAsync(string? path, ImportReport report)
    {
        if (path is null) return;
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, CatalogueImporter.ReportJson));
    }

    /// <summary>
    /// Downloads a URL into a private directory (<see cref="RemoteFile"/>), within the limits of <see cref="DownloadOptions"/>;
    /// the dataset name derives from the URL as given (or <c>--source</c>), never from what the server sends.
    /// </summary>
    private static async Task<string> DownloadAsync(Uri uri, IConfiguration configuration, List<RemoteFile> downloads, CancellationToken ct)
    {
        DownloadOptions options;
        try
        {
            options = (configuration.GetSection(DownloadOptions.SectionName).Get<DownloadOptions>() ?? new DownloadOptions()).Validate();
        }
        catch (InvalidOperationException e)
        {
            throw new ImportException(e.Message, e);
        }
        using var http = RemoteFile.CreateHttpClient();
        var download = await RemoteFile.DownloadAsync(http, uri, options, ct);
        downloads.Add(download);
        return download.Path;
    }
}
