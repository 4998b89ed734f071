using System.CommandLine;
using InclusionMap.Data;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap backup --out FILE</c> and <c>inclusionmap restore FILE</c>: a PostgreSQL custom-format dump of the
/// catalogue (<see cref="CatalogueBackup"/>), made while the server runs if it does; restored into an empty database,
/// over an external catalogue, or into the embedded cluster with the server stopped (docs/operations.md).
/// </summary>
public static class BackupCommand
{
    public static Command Create(GlobalOptions global)
    {
        var output = new Option<string>("--out") { Description = "The dump to write (PostgreSQL custom format)", Required = true };
        var command = new Command("backup", "Write a dump of the catalogue (pg_dump -Fc), also while the server runs") { output };
        command.SetAction(parse => RunAsync(global.Catalogue(parse), "backup", async (database, settings, ct) =>
        {
            var file = Path.GetFullPath(parse.GetValue(output)!);
            await CatalogueBackup.BackupAsync(settings.EffectiveConnectionString, file, ct);
            Console.WriteLine($"backup written to {file} ({new FileInfo(file).Length} bytes)");
            return 0;
        }));
        return command;
    }

    public static Command CreateRestore(GlobalOptions global)
    {
        var file = new Argument<string>("FILE") { Description = "A dump written by inclusionmap backup" };
        var command = new Command("restore",
            "Replace the catalogue with a dump (one transaction); with the embedded cluster, stop the server first")
        {
            file,
        };
        command.SetAction(parse => RunAsync(global.Catalogue(parse), "restore", async (database, settings, ct) =>
        {
            if (database.JoinedRunningServer)
                throw new InvalidOperationException("a server is running on this state directory: stop it, restore, then start it again.");
            var path = Path.GetFullPath(parse.GetValue(file)!);
            await CatalogueBackup.RestoreAsync(settings.EffectiveConnectionString, path, ct);
            // A dump of an older catalogue is brought to this version's schema.
            await CatalogueStartup.MigrateAsync(database.DataSource, ct);
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            var sites = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Sites, ct);
            Console.WriteLine($"restored {path}: {sites} sites");
            return 0;
        }));
        return command;
    }

    private static async Task<int> RunAsync(CatalogueSettings settings, string verb,
        Func<CommandDatabase, CatalogueSettings, CancellationToken, Task<int>> action)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger(verb);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            return await action(database, settings, cancel.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException
                                   or StateDirectoryInUseException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"{verb}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{verb}: cancelled.");
            return 130;
        }
    }
}
