namespace InclusionMap.Data;

/// <summary>Where and how to run a private PostgreSQL cluster.</summary>
/// <param name="StateDirectory">Holds <c>pgdata/</c> (owned by the server user), <c>run/</c> (the socket) and the lock file.</param>
/// <param name="Port">Port number in the socket name; the cluster listens on its Unix socket only, so it never conflicts with another
/// server.</param>
/// <param name="Durable">False for throw-away test clusters (fsync and synchronous commit off).</param>
/// <param name="ListenAddress">Optional TCP address (e.g. 127.0.0.1) for clients that need TCP, such as a replica or a benchmark
/// peer.</param>
public sealed record PostgresClusterOptions(string StateDirectory, int Port = 5432, bool Durable = true, string? ListenAddress = null)
{
    /// <summary>The cluster's bootstrap superuser: administration only (databases, extensions, roles), never the application.</summary>
    public const string SuperUser = "inclusionmap";

    /// <summary>
    /// Default state directory: <c>$INCLUSIONMAP_STATE</c>, else <c>/var/lib/inclusionmap</c> for root, else
    /// <c>~/.local/share/inclusionmap</c>.
    /// </summary>
    public static string DefaultStateDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("INCLUSIONMAP_STATE");
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        // The postgres account cannot enter /root, so root's clusters live where system services keep theirs.
        if (Environment.IsPrivilegedProcess) return "/var/lib/inclusionmap";
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome)) dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            ".local", "share");
        return Path.Combine(dataHome, "inclusionmap");
    }
}
