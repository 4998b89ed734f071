using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// The three ways to the catalogue: <see cref="Primary"/> for migrations and bulk writes (seed, import), as the owner;
/// <see cref="WebWrites"/> for what the web writes (sign-ins, accounts, the audit log), on the primary too but as the
/// editor role; <see cref="Reads"/> for the API's read-only queries. Without a read-only connection string reads use
/// the primary; with one, they go to PostgreSQL streaming replicas (several hosts may be listed: Npgsql balances them),
/// which never receive a write. Without an editor connection string the web writes through the primary.
/// </summary>
public sealed class CatalogueDataSources(NpgsqlDataSource primary, NpgsqlDataSource? reads = null, NpgsqlDataSource? webWrites = null)
    : IAsyncDisposable
{
    public NpgsqlDataSource Primary { get; } = primary;
    public NpgsqlDataSource Reads { get; } = reads ?? primary;
    public NpgsqlDataSource WebWrites { get; } = webWrites ?? primary;
    public bool SeparateReads => !ReferenceEquals(Primary, Reads);

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync();
        if (SeparateReads) await Reads.DisposeAsync();
        if (!ReferenceEquals(Primary, WebWrites)) await WebWrites.DisposeAsync();
    }
}
