using System.Collections.Concurrent;
using System.Diagnostics;
using InclusionMap.Data;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// Records the SQL text of every command the server sends while serving a request, whichever way it is sent (EF Core,
/// or Npgsql directly as the nearest page is), so tests can assert the index operators and count round trips. It
/// listens to the traces of ASP.NET Core and Npgsql: commands of the server's data sources (by name) on this fixture's
/// database, under a request; neither other test classes, nor the tests' own reference queries, nor the server's
/// background work (the catalogue version poll) are counted.
/// </summary>
public sealed class SqlCapture : IDisposable
{
    private ActivityListener? _listener;

    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Starts recording the commands sent to <paramref name="database"/>.</summary>
    public void Listen(string database)
    {
        _listener = new ActivityListener
        {
            // ASP.NET Core's request activities too: a command is counted when it runs under one.
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.GetTagItem("db.query.text") is string sql
                    && activity.GetTagItem("db.namespace") as string == database
                    && activity.GetTagItem("db.npgsql.data_source")
                        is CatalogueDatabase.DataSourceName or CatalogueDatabase.ReadDataSourceName
                    && UnderRequest(activity))
                    Commands.Enqueue(sql);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private static bool UnderRequest(Activity activity)
    {
        for (var a = activity.Parent; a is not null; a = a.Parent)
            if (a.Source.Name == "Microsoft.AspNetCore") return true;
        return false;
    }

    public List<string> Drain()
    {
        var list = new List<string>();
        while (Commands.TryDequeue(out var c)) list.Add(c);
        return list;
    }

    public void Dispose() => _listener?.Dispose();
}
