using System.Runtime.InteropServices;
using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server;

/// <summary>
/// <c>inclusionmap import FILE|URL... [--format F] [--source NAME] [--report R.json] [--dry-run] [--strict]</c>:
/// applies the migrations and imports exactly the given files, in one transaction. Details go to stderr; the
/// one-line summary goes to stdout. URLs are downloaded by <see cref="RemoteFile"/>; runs wait for one another
/// (<see cref="CatalogueWriteLock"/>), or fail at once with --no-wait.
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        if (line.Arguments.Count == 0) throw new UsageException("import needs at least one file or URL.");
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var settings = CatalogueSettings.From(configuration, line);
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("import");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancel.Cancel(); });
        var downloads = new List<RemoteFile>();
        CommandDatabase? database = null;
        try
        {
            var format = line.Get("--format") is { } f ? ImportFormats.Parse(f) : (ImportFormat?)null;
            var files = new List<ImportFile>();
            foreach (var argument in line.Arguments)
            {
                // A local file first; anything else that names a scheme is a download (RemoteFile refuses all but http/https).
                var path = Uri.TryCreate(argument, UriKind.Absolute, out var uri) && !uri.IsFile && !File.Exists(argument)
                    ? await DownloadAsync(uri, configuration, downloads, cancel.Token)
                    : File.Exists(argument) ? argument : throw new ImportException($"{argument}: no such file.");
                files.Add(new ImportFile(path, format, line.Get("--source")));
            }
            var threshold = line.Get("--threshold") is { } t ? ParseThreshold(t) : (double?)null;
            database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            var options = new ImportOptions
            {
                DryRun = line.Has("--dry-run"), Strict = line.Has("--strict"), DedupThreshold = threshold,
                WaitForWriteLock = !line.Has("--no-wait"),
            };
            var report = await new CatalogueImporter(database.DataSource, log).ImportAsync(files, options, cancel.Token);
            await WriteReportAsync(line.Get("--report"), report);
            Console.WriteLine(report.Summary + (report.DryRun ? " (dry run: nothing written)" : ""));
            return 0;
        }
        catch (StrictImportException e)
        {
            await WriteReportAsync(line.Get("--report"), e.Report);
            foreach (var issue in e.Report.Files.SelectMany(r => r.Issues).Where(i => i.Severity == ImportIssue.Rejected).Take(20))
                Console.Error.WriteLine($"  row {issue.Row} ({issue.Id}): {issue.Field} = '{issue.Value}': {issue.Reason}");
            Console.Error.WriteLine($"import: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is ImportException or CatalogueBusyException or StateDirectoryInUseException or FileNotFoundException
                                   or DirectoryNotFoundException or HttpRequestException)
        {
            Console.Error.WriteLine($"import: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException || e.InnerException is Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"import: database error, nothing was written: {(e.InnerException ?? e).Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("import: cancelled; nothing was written.");
            return 130;
        }
        finally
        {
            foreach (var download in downloads) download.Dispose();
            if (database is not null) await database.DisposeAsync();
        }
    }

    /// <summary>A deduplication threshold between 0 and 1.01 (above 1, only identical names merge… and nothing does).</summary>
    public static double ParseThreshold(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1.01
            ? value
            : throw new UsageException($"--threshold must be a number between 0 and 1, not '{text}'.");

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
