using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>Where and how to run a private PostgreSQL cluster.</summary>
/// <param name="StateDirectory">Holds <c>pgdata/</c> (owned by the server user), <c>run/</c> (the socket) and the lock file.</param>
/// <param name="Port">Port number in the socket name; the cluster listens on its Unix socket only, so it never conflicts with another server.</param>
/// <param name="Durable">False for throw-away test clusters (fsync and synchronous commit off).</param>
/// <param name="ListenAddress">Optional TCP address (e.g. 127.0.0.1) for clients that need TCP, such as a replica or a benchmark peer.</param>
public sealed record PostgresClusterOptions(string StateDirectory, int Port = 5432, bool Durable = true, string? ListenAddress = null)
{
    public const string SuperUser = "inclusionmap";

    /// <summary>Default state directory: <c>$INCLUSIONMAP_STATE</c>, else <c>/var/lib/inclusionmap</c> for root, else <c>~/.local/share/inclusionmap</c>.</summary>
    public static string DefaultStateDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("INCLUSIONMAP_STATE");
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        // The postgres account cannot enter /root, so root's clusters live where system services keep theirs.
        if (Environment.IsPrivilegedProcess) return "/var/lib/inclusionmap";
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome)) dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(dataHome, "inclusionmap");
    }
}

/// <summary>Raised when the state directory already belongs to another running InclusionMap.</summary>
public sealed class StateDirectoryInUseException(string message) : Exception(message);

/// <summary>
/// A private PostgreSQL + PostGIS cluster started from the installed server binaries (initdb / pg_ctl), as the
/// <c>postgres</c> account when we run as root (initdb refuses root). An exclusive lock on the state directory keeps
/// two InclusionMap processes from sharing one cluster; a cluster left running by a crashed process is adopted.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly PostgresClusterOptions _options;
    private readonly ILogger _log;
    private readonly string _binDirectory;
    private FileStream? _lock;
    private bool _startedByUs;

    private PostgresCluster(PostgresClusterOptions options, string binDirectory, ILogger log)
    {
        _options = options;
        _binDirectory = binDirectory;
        _log = log;
    }

    public string StateDirectory => _options.StateDirectory;
    public string DataDirectory => Path.Combine(_options.StateDirectory, "pgdata");
    public string SocketDirectory => Path.Combine(_options.StateDirectory, "run");
    public int Port => _options.Port;
    public string LogFile => Path.Combine(SocketDirectory, "postgresql.log");

    /// <summary>Connection string to a database of this cluster, over its Unix socket.</summary>
    public string ConnectionString(string database = "postgres", int maxPoolSize = 50) => ConnectionStringFor(_options, database, maxPoolSize);

    /// <summary>The connection string a cluster in this state directory will answer on (known before it starts).</summary>
    public static string ConnectionStringFor(PostgresClusterOptions options, string database, int maxPoolSize = 50) => new NpgsqlConnectionStringBuilder
    {
        Host = Path.Combine(options.StateDirectory, "run"),
        Port = options.Port,
        Database = database,
        Username = PostgresClusterOptions.SuperUser,
        MaxPoolSize = maxPoolSize,
    }.ConnectionString;

    /// <summary>Creates (first time) or reuses the cluster in the state directory and makes sure it is running.</summary>
    /// <exception cref="StateDirectoryInUseException">Another InclusionMap holds the state directory.</exception>
    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, ILogger? log = null, CancellationToken cancellationToken = default)
    {
        var cluster = new PostgresCluster(options, FindBinDirectory(), log ?? NullLogger.Instance);
        try
        {
            cluster.AcquireLock();
            await cluster.EnsureInitialisedAsync(cancellationToken);
            await cluster.EnsureRunningAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            cluster.ReleaseLock();
            throw;
        }
    }

    /// <summary>
    /// A streaming replica of <paramref name="primary"/> in its own state directory: a base backup taken with
    /// <c>pg_basebackup -R</c> (which writes the standby configuration), then started as a read-only hot standby.
    /// </summary>
    public static async Task<PostgresCluster> StartReplicaAsync(PostgresCluster primary, PostgresClusterOptions options, ILogger? log = null, CancellationToken cancellationToken = default)
    {
        var cluster = new PostgresCluster(options, FindBinDirectory(), log ?? NullLogger.Instance);
        try
        {
            cluster.AcquireLock();
            Directory.CreateDirectory(cluster.SocketDirectory);
            if (Environment.IsPrivilegedProcess) await cluster.ChownToPostgresAsync(cluster.SocketDirectory, cancellationToken);
            if (!File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")))
            {
                CreateOwnerOnlyDirectory(cluster.DataDirectory);
                if (Environment.IsPrivilegedProcess) await cluster.ChownToPostgresAsync(cluster.DataDirectory, cancellationToken);
                var (code, output) = await RunAsync(cluster.Tool("pg_basebackup"),
                    ["-h", primary.SocketDirectory, "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", PostgresClusterOptions.SuperUser,
                     "-D", cluster.DataDirectory, "-R", "-X", "stream", "-c", "fast"], cancellationToken);
                if (code != 0) throw new InvalidOperationException($"pg_basebackup failed ({code}): {output}");
                // The copied lock and pid files belong to the primary.
                File.Delete(Path.Combine(cluster.DataDirectory, "postmaster.pid"));
            }
            await cluster.EnsureRunningAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            cluster.ReleaseLock();
            throw;
        }
    }

    /// <summary>Creates the database if it does not exist (the catalogue's migrations then create the PostGIS extension).</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server (fast shutdown: open transactions roll back) and releases the state directory.</summary>
    public async Task StopAsync()
    {
        if (_lock is null) return;
        try
        {
            if (_startedByUs || File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                var (code, output) = await RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], CancellationToken.None);
                if (code == 0) _log.LogInformation("Private PostgreSQL stopped ({Directory})", DataDirectory);
                else _log.LogWarning("pg_ctl stop exited with {Code}: {Output}", code, output);
            }
        }
        finally
        {
            ReleaseLock();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void AcquireLock()
    {
        Directory.CreateDirectory(_options.StateDirectory);
        var path = Path.Combine(_options.StateDirectory, "inclusionmap.lock");
        try
        {
            // On Unix, FileShare.None takes an advisory flock: the kernel releases it if we die, so no stale lock survives a crash.
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var pidFile = Path.Combine(_options.StateDirectory, "inclusionmap.pid");
            var owner = File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "?";
            throw new StateDirectoryInUseException(
                $"The state directory {_options.StateDirectory} is in use by another InclusionMap process (pid {owner}). " +
                "Stop it, or give this one its own directory with --state-dir or INCLUSIONMAP_STATE.");
        }
        // The lock file cannot be read by others while held: the owner's pid goes beside it, for the message above.
        File.WriteAllText(Path.Combine(_options.StateDirectory, "inclusionmap.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    private void ReleaseLock()
    {
        _lock?.Dispose();
        _lock = null;
    }

    private async Task EnsureInitialisedAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        if (SocketDirectory.Length + 20 > 107)
            throw new InvalidOperationException($"The state directory path is too long for a Unix socket ({SocketDirectory}); choose a shorter --state-dir.");
        if (Environment.IsPrivilegedProcess) await ChownToPostgresAsync(SocketDirectory, cancellationToken);
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return;

        _log.LogInformation("Creating a private PostgreSQL cluster in {Directory}", DataDirectory);
        if (Directory.Exists(DataDirectory) && Directory.EnumerateFileSystemEntries(DataDirectory).Any())
            throw new InvalidOperationException($"{DataDirectory} exists but is not a PostgreSQL data directory; move it away.");
        CreateOwnerOnlyDirectory(DataDirectory);
        if (Environment.IsPrivilegedProcess) await ChownToPostgresAsync(DataDirectory, cancellationToken);
        var (code, output) = await RunAsync(Tool("initdb"),
            ["-D", DataDirectory, "-U", PostgresClusterOptions.SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
            cancellationToken);
        if (code != 0) throw new InvalidOperationException($"initdb failed ({code}): {output}");
    }

    private async Task EnsureRunningAsync(CancellationToken cancellationToken)
    {
        var (status, _) = await RunAsync(Tool("pg_ctl"), ["status", "-D", DataDirectory], cancellationToken);
        if (status == 0)
        {
            // We hold the lock, so no live InclusionMap owns this server: it was left by a process that died. Adopt it.
            _log.LogWarning("Adopting a PostgreSQL server left running in {Directory}", DataDirectory);
            await WaitUntilReadyAsync(cancellationToken);
            return;
        }
        var settings = new List<string>
        {
            $"-c listen_addresses='{_options.ListenAddress ?? ""}'",
            $"-k {SocketDirectory}",
            $"-p {_options.Port}",
            "-c max_connections=200",
            "-c shared_buffers=128MB",
        };
        if (!_options.Durable) settings.AddRange(["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]);
        var (code, output) = await RunAsync(Tool("pg_ctl"),
            ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", string.Join(' ', settings)], cancellationToken);
        if (code != 0)
        {
            var tail = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(10)) : "";
            throw new InvalidOperationException($"pg_ctl start failed ({code}): {output}\n{tail}");
        }
        _startedByUs = true;
        _log.LogInformation("Private PostgreSQL running on socket {Socket} (port {Port})", SocketDirectory, _options.Port);
        await WaitUntilReadyAsync(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres", 1) + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    /// <summary>The server binaries: <c>$INCLUSIONMAP_PG_BIN</c>, else the newest /usr/lib/postgresql/N/bin holding initdb, else PATH.</summary>
    public static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("INCLUSIONMAP_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var best = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (best.Dir is not null) return best.Dir;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "initdb"))) return dir;
        throw new InvalidOperationException(
            "PostgreSQL server binaries not found. Install them with: sudo apt-get install postgresql-15 postgresql-15-postgis-3 " +
            "(or set INCLUSIONMAP_PG_BIN, or set ConnectionStrings__Catalogue to use an existing database).");
    }

    /// <summary>PostgreSQL refuses a data directory others can read.</summary>
    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Task ChownToPostgresAsync(string path, CancellationToken cancellationToken) =>
        RunCheckedAsync("chown", ["postgres:postgres", path], cancellationToken);

    private static async Task RunCheckedAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (code, output) = await RunProcessAsync(file, args, cancellationToken);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
    }

    /// <summary>Runs a server tool, as the postgres account when we are root.</summary>
    private static Task<(int Code, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        Environment.IsPrivilegedProcess
            ? RunProcessAsync("runuser", ["-u", "postgres", "--", tool, .. args], cancellationToken)
            : RunProcessAsync(tool, args, cancellationToken);

    private static async Task<(int Code, string Output)> RunProcessAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // initdb and pg_ctl must not inherit a working directory the postgres account cannot read.
            WorkingDirectory = "/",
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl start leaves the server holding our pipes if we wait for EOF; read what is there once it exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
        }
        catch (TimeoutException)
        {
            return (process.ExitCode, "");
        }
    }
}
