using System.CommandLine;
using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Dedup;
using InclusionMap.Data.History;
using InclusionMap.Server.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap dedup [--explain] [--departement N] [--threshold X]</c>: with --explain, lists every candidate pair
/// (merged first, then near-misses) with the rule's scores and reason, changing nothing; without it, re-runs the
/// deduplication of the whole catalogue in one transaction, under <see cref="CatalogueWriteLock"/> (waiting for a running
/// import or dedup, or failing at once with --no-wait).
/// </summary>
public static class DedupCommand
{
    public static Command Create(GlobalOptions global)
    {
        var explain = new Option<bool>("--explain")
        {
            Description = "Only list the candidate pairs, merged and near-miss, with their scores",
        };
        var departement = new Option<string?>("--departement") { Description = "Limit the explanation to one département" };
        var threshold = ImportCommand.ThresholdOption();
        var noWait = new Option<bool>("--no-wait")
        {
            Description = "Fail at once when an import or another dedup is running, instead of waiting",
        };
        var command = new Command("dedup", "Re-run the deduplication of the whole catalogue (one transaction)")
        {
            explain, departement, threshold, noWait,
        };
        command.SetAction(parse => RunAsync(global.Catalogue(parse), parse.GetValue(explain), parse.GetValue(departement),
            parse.GetValue(threshold), parse.GetValue(noWait)));
        return command;
    }

    private static async Task<int> RunAsync(CatalogueSettings settings, bool explain, string? departement, double? threshold, bool noWait)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("dedup");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            await using var connection = await database.DataSource.OpenConnectionAsync(cancel.Token);
            await using var transaction = await connection.BeginTransactionAsync(cancel.Token);
            // Explaining only reads; a run writes, and never alongside an import or another run.
            if (!explain) await CatalogueWriteLock.AcquireAsync(transaction, "dedup", wait: !noWait, log, cancel.Token);
            await using var db = new CatalogueDbContext(new DbContextOptionsBuilder<CatalogueDbContext>()
                .UseNpgsql(connection, o => o.UseNetTopologySuite()).UseSnakeCaseNamingConvention().Options);
            await db.Database.UseTransactionAsync(transaction, cancel.Token);

            if (explain)
            {
                // Explaining never stores a threshold.
                var options = threshold is { } x
                    ? new Core.Places.DuplicateRuleOptions(x)
                    : await Deduplicator.OptionsAsync(db, null, cancel.Token);
                var pairs = await new Deduplicator(connection, db).CandidatesAsync(options, departement, cancel.Token);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Deduplication rule, threshold {options.NameThreshold:0.00}, within {options.MaxDistanceMeters:0} m"
                    + $"{(departement is { } d ? $", département {d}" : "")}: {pairs.Count} candidate pairs, "
                    + $"{pairs.Count(p => p.Decision.Same)} same place, "
                    + $"{pairs.Count(p => p.Decision.Same && p.A.SiteId == p.B.SiteId)} merged"));
                Console.WriteLine();
                foreach (var p in pairs.OrderByDescending(p => p.Decision.Same).ThenBy(p => p.DistanceMeters))
                {
                    var decision = p.Decision;
                    // A pair the rule accepts stays apart when its records' groups already share a dataset.
                    var (label, reason) = !decision.Same ? ("near-miss ", decision.Reason)
                        : p.A.SiteId == p.B.SiteId ? ("MERGED    ", decision.Reason)
                        : ("kept apart", decision.Reason + "; not joined: each side already holds a record of the same dataset");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{label} {p.DistanceMeters,5:0} m  name {decision.NameScore:0.00}  contained {decision.NameContainment:0.00}  "
                        + $"address {decision.Address.ToString().ToLowerInvariant(),-10} {reason}"));
                    Console.WriteLine($"           {p.A.Nom} — {p.A.Adresse}   [{p.A.Dataset} #{p.A.SourceId}, site {p.A.SiteId}]");
                    Console.WriteLine($"           {p.B.Nom} — {p.B.Adresse}   [{p.B.Dataset} #{p.B.SourceId}, site {p.B.SiteId}]");
                }
                await transaction.RollbackAsync(cancel.Token);
                return 0;
            }

            var run = await Deduplicator.OptionsAsync(db, threshold, cancel.Token);
            var history = new SiteHistoryRecorder("dedup", ChangeCause.Merge);
            var result = await new Deduplicator(connection, db).RunAsync(run, new HashSet<long>(), history, cancel.Token);
            await Data.Moderation.SiteEdits.ApplyAsync(db, history, null, cancel.Token);
            await SiteStates.RefreshAsync(connection, history, cancel.Token);
            await history.WriteAsync(connection, db, null, DateTimeOffset.UtcNow, cancel.Token);
            await transaction.CommitAsync(cancel.Token);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold {run.NameThreshold:0.00}: {result.Candidates} candidate pairs, {result.Accepted} same place, "
                + $"merged {result.Merged}, split {result.Split}"));
            return 0;
        }
        catch (Exception e) when (e is StateDirectoryInUseException or CatalogueBusyException or Npgsql.NpgsqlException
                                   || e.InnerException is Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"dedup: {(e.InnerException ?? e).Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dedup: cancelled; nothing was changed.");
            return 130;
        }
    }
}
