using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// A private PostgreSQL + PostGIS cluster started from the installed server binaries (initdb / pg_ctl). Only the account
/// that runs it can reach it: its socket's directory is 0700, and every role signs in with a password (SCRAM-SHA-256)
/// from the state directory's <see cref="ClusterSecrets"/>. The server tools run as this process's user; when we are
/// root (initdb refuses root), as the owner of an existing data directory, else as the <c>postgres</c> account.
/// An exclusive lock on the state directory keeps two InclusionMap processes from sharing one cluster; a cluster left
/// running by a crashed process is adopted. A cluster made by an older InclusionMap (trust authentication) gets its
/// passwords on its first start here.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>First line of the pg_hba.conf written here: a cluster whose file starts otherwise still trusts local connections.</summary>
    private const string HbaMarker = "# InclusionMap: every connection signs in with a password (SCRAM-SHA-256).";

    private const string HbaConf = $"""
        {HbaMarker}
        # The socket's directory is private to the cluster's account; TCP, when enabled, listens on loopback only.
        # TYPE  DATABASE     USER  ADDRESS        METHOD
        local   all          all                  scram-sha-256
        host    all          all   127.0.0.1/32   scram-sha-256
        host    all          all   ::1/128        scram-sha-256
        local   replication  all                  scram-sha-256
        host    replication  all   127.0.0.1/32   scram-sha-256
        host    replication  all   ::1/128        scram-sha-256

        """;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly PostgresClusterOptions _options;
    private readonly ILogger _log;
    private readonly string _binDirectory;
    private FileStream? _lock;
    private bool _startedByUs;
    /// <summary>The OS account the server tools run as when we are root; null: this process's own user.</summary>
    private string? _account;

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
    public ClusterSecrets Secrets { get; private set; } = null!;

    /// <summary>Connection string to a database of this cluster over its Unix socket, as <paramref name="user"/> (the superuser).</summary>
    public string ConnectionString(string database = "postgres", int maxPoolSize = 50, string user = PostgresClusterOptions.SuperUser) =>
        BuildConnectionString(_options, database, maxPoolSize, user, Secrets);

    /// <summary>The connection string a cluster in this state directory answers on (known before it starts: secrets come first).</summary>
    public static string ConnectionStringFor(PostgresClusterOptions options, string database, int maxPoolSize = 50,
        string user = PostgresClusterOptions.SuperUser) =>
        BuildConnectionString(options, database, maxPoolSize, user, ClusterSecrets.LoadOrCreate(options.StateDirectory));

    private static string BuildConnectionString(PostgresClusterOptions options, string database, int maxPoolSize, string user,
        ClusterSecrets secrets) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Path.Combine(options.StateDirectory, "run"),
            Port = options.Port,
            Database = database,
            Username = user,
            Password = secrets.PasswordOf(user),
            MaxPoolSize = maxPoolSize,
        }.ConnectionString;

    /// <summary>Creates (first time) or reuses the cluster in the state directory and makes sure it is running.</summary>
    /// <exception cref="StateDirectoryInUseException">Another InclusionMap holds the state directory.</exception>
    public static async Task<PostgresCluster> StartAsync(PostgresClusterOptions options, ILogger? log = null,
        CancellationToken cancellationToken = default)
    {
        var cluster = new PostgresCluster(options, FindBinDirectory(), log ?? NullLogger.Instance);
        try
        {
            cluster.AcquireLock();
            cluster._account = await cluster.ClusterAccountAsync(cancellationToken);
            cluster.ProtectStateDirectory();
            cluster.Secrets = ClusterSecrets.LoadOrCreate(options.StateDirectory);
            var created = await cluster.EnsureInitialisedAsync(cancellationToken);
            await cluster.EnsurePasswordAuthenticationAsync(created, cancellationToken);
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
    /// Its roles and passwords are the primary's, so its state directory gets a copy of the primary's secrets.
    /// </summary>
    public static async Task<PostgresCluster> StartReplicaAsync(PostgresCluster primary, PostgresClusterOptions options,
        ILogger? log = null, CancellationToken cancellationToken = default)
    {
        var cluster = new PostgresCluster(options, FindBinDirectory(), log ?? NullLogger.Instance);
        try
        {
            cluster.AcquireLock();
            cluster._account = primary._account;
            cluster.ProtectStateDirectory();
            primary.Secrets.SaveTo(options.StateDirectory);
            cluster.Secrets = ClusterSecrets.LoadOrCreate(options.StateDirectory);
            await cluster.CreateSocketDirectoryAsync(cancellationToken);
            if (!File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")))
            {
                CreateOwnerOnlyDirectory(cluster.DataDirectory);
                if (cluster._account is not null) await cluster.ChownToAccountAsync(cluster.DataDirectory, cancellationToken);
                var (code, output) = await cluster.RunAsync(cluster.Tool("pg_basebackup"),
                    ["-h", primary.SocketDirectory, "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U",
                        PostgresClusterOptions.SuperUser,
                     "-D", cluster.DataDirectory, "-R", "-X", "stream", "-c", "fast", "-w"], cancellationToken,
                    environment: new Dictionary<string, string> { ["PGPASSWORD"] = primary.Secrets.Superuser });
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

    /// <summary>Creates the database if it does not exist; with <paramref name="owner"/>, owned by that role (even if it exists).</summary>
    public async Task EnsureDatabaseAsync(string database, string? owner = null, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", 1) + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1",
            connection) { Parameters = { new() { Value = database } } };
        var name = QuoteIdentifier(database);
        var sql = await exists.ExecuteScalarAsync(cancellationToken) is null
            ? $"CREATE DATABASE {name}" + (owner is null ? "" : $" OWNER {QuoteIdentifier(owner)}")
            : owner is null ? null : $"ALTER DATABASE {name} OWNER TO {QuoteIdentifier(owner)}";
        if (sql is null) return;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A SQL identifier, quoted.</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Stops the server (fast shutdown: open transactions roll back) and releases the state directory.</summary>
    public async Task StopAsync()
    {
        if (_lock is null) return;
        try
        {
            if (_startedByUs || File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                var (code, output) = await StopServerAsync(CancellationToken.None);
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

    /// <summary>
    /// <c>pg_ctl restart -m fast</c>: every session is ended, the server stops and starts again with the settings it was
    /// started with, as an operator's restart or an upgrade of the server package does. Returns once it accepts connections.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        var (code, output) = await RunAsync(Tool("pg_ctl"),
            ["restart", "-D", DataDirectory, "-m", "fast", "-l", LogFile, "-w", "-t", "60"], cancellationToken);
        if (code != 0) throw new InvalidOperationException($"pg_ctl restart failed ({code}): {output}");
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>Fast shutdown: open transactions roll back.</summary>
    private Task<(int Code, string Output)> StopServerAsync(CancellationToken cancellationToken) =>
        RunAsync(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], cancellationToken);

    private void AcquireLock()
    {
        // Private from the start; an existing directory is tightened by ProtectStateDirectory.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(_options.StateDirectory);
        else Directory.CreateDirectory(_options.StateDirectory, OwnerOnly);
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
        File.WriteAllText(Path.Combine(_options.StateDirectory, "inclusionmap.pid"),
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    private void ReleaseLock()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>
    /// Who runs the server tools when we are root: the owner of an existing data directory (the <c>postgres</c> account,
    /// or the service user <c>run.sh</c> gives the state directory), else <c>postgres</c>.
    /// </summary>
    private async Task<string?> ClusterAccountAsync(CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess) return null;
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            var (code, owner) = await RunProcessAsync("stat", ["-c", "%U", DataDirectory], cancellationToken);
            if (code == 0 && owner is not ("" or "root")) return owner;
        }
        return "postgres";
    }

    /// <summary>
    /// The state directory is the service's own (0700); 0711 when the cluster runs as another account, which must pass
    /// through it to its data and socket directories (both 0700). The secrets file in it is 0600 either way.
    /// </summary>
    private void ProtectStateDirectory()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            var passThrough = UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(StateDirectory, _account is null ? OwnerOnly : OwnerOnly | passThrough);
        }
        catch (UnauthorizedAccessException)
        {
            _log.LogWarning("Cannot restrict {Directory} to its owner: it belongs to another user", StateDirectory);
        }
    }

    /// <summary>The socket's directory, 0700 and the cluster account's: nobody else can reach the socket.</summary>
    private async Task CreateSocketDirectoryAsync(CancellationToken cancellationToken)
    {
        CreateOwnerOnlyDirectory(SocketDirectory);
        if (SocketDirectory.Length + 20 > 107)
            throw new InvalidOperationException(
                $"The state directory path is too long for a Unix socket ({SocketDirectory}); choose a shorter --state-dir.");
        if (_account is not null) await ChownToAccountAsync(SocketDirectory, cancellationToken);
    }

    /// <summary>Runs initdb when the data directory holds no cluster yet; true when it did.</summary>
    private async Task<bool> EnsureInitialisedAsync(CancellationToken cancellationToken)
    {
        await CreateSocketDirectoryAsync(cancellationToken);
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return false;

        _log.LogInformation("Creating a private PostgreSQL cluster in {Directory}", DataDirectory);
        if (Directory.Exists(DataDirectory) && Directory.EnumerateFileSystemEntries(DataDirectory).Any())
            throw new InvalidOperationException($"{DataDirectory} exists but is not a PostgreSQL data directory; move it away.");
        CreateOwnerOnlyDirectory(DataDirectory);
        if (_account is not null) await ChownToAccountAsync(DataDirectory, cancellationToken);
        // Trust only until the superuser's password is set, before the server ever starts (EnsurePasswordAuthenticationAsync).
        var (code, output) = await RunAsync(Tool("initdb"),
            ["-D", DataDirectory, "-U", PostgresClusterOptions.SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                "--no-instructions"],
            cancellationToken);
        if (code != 0) throw new InvalidOperationException($"initdb failed ({code}): {output}");
        return true;
    }

    /// <summary>
    /// Gives the superuser its password and makes every connection sign in with one, when pg_hba.conf is not ours yet:
    /// a cluster just made by initdb, or one made by an older InclusionMap with trust authentication. Done offline, in
    /// single-user mode (the statement goes through a pipe and carries only a SCRAM verifier), so that the cluster never
    /// runs with half of it done; a server an older version left running is stopped first.
    /// </summary>
    private async Task EnsurePasswordAuthenticationAsync(bool created, CancellationToken cancellationToken)
    {
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        if (File.Exists(hba) && File.ReadLines(hba).FirstOrDefault() == HbaMarker) return;
        if (!created)
            _log.LogWarning("The cluster in {Directory} lets any local connection in (made by an older InclusionMap): setting passwords",
                DataDirectory);
        var (status, _) = await RunAsync(Tool("pg_ctl"), ["status", "-D", DataDirectory], cancellationToken);
        if (status == 0)
        {
            var (stopped, stopOutput) = await StopServerAsync(cancellationToken);
            if (stopped != 0) throw new InvalidOperationException($"pg_ctl stop failed ({stopped}): {stopOutput}");
        }
        var verifier = ClusterSecrets.ScramVerifier(Secrets.Superuser);
        var statement = $"ALTER ROLE {QuoteIdentifier(PostgresClusterOptions.SuperUser)} PASSWORD '{verifier}'\n";
        var (code, output) = await RunAsync(Tool("postgres"), ["--single", "-D", DataDirectory, "postgres"], cancellationToken, statement);
        if (code != 0 || output.Contains("ERROR:", StringComparison.Ordinal))
            throw new InvalidOperationException($"Setting the superuser's password failed ({code}): {output}");
        // pg_hba.conf exists (initdb wrote it): rewriting it in place keeps its owner, the cluster's account.
        await File.WriteAllTextAsync(hba, HbaConf, cancellationToken);
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
            "-c unix_socket_permissions=0700",
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
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new InvalidOperationException(
                    $"The cluster in {DataDirectory} refuses the superuser's password of {ClusterSecrets.FileName} in {StateDirectory}: " +
                    "the file was replaced or lost. Restore it (or see docs/security.md).", e);
            }
            catch (NpgsqlException) when (attempt < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    /// <summary>
    /// The server binaries: <c>$INCLUSIONMAP_PG_BIN</c>, else the newest /usr/lib/postgresql/N/bin holding initdb, else PATH.
    /// </summary>
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

    /// <summary>PostgreSQL refuses a data directory others can read; the socket's and the state directories are private too.</summary>
    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnly);
        // An existing directory (made by an older version) keeps its mode through CreateDirectory.
        if (File.GetUnixFileMode(path) != OwnerOnly) File.SetUnixFileMode(path, OwnerOnly);
    }

    private Task ChownToAccountAsync(string path, CancellationToken cancellationToken) =>
        RunCheckedAsync("chown", [$"{_account}:", path], cancellationToken);

    private static async Task RunCheckedAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (code, output) = await RunProcessAsync(file, args, cancellationToken);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
    }

    /// <summary>Runs a server tool as the cluster's account.</summary>
    private Task<(int Code, string Output)> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken,
        string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null) =>
        _account is null
            ? RunProcessAsync(tool, args, cancellationToken, standardInput, environment)
            : RunProcessAsync("runuser", ["-u", _account, "--", tool, .. args], cancellationToken, standardInput, environment);

    private static async Task<(int Code, string Output)> RunProcessAsync(string file, IReadOnlyList<string> args,
        CancellationToken cancellationToken, string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            // initdb and pg_ctl must not inherit a working directory the postgres account cannot read.
            WorkingDirectory = "/",
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        // pg_ctl start leaves the server holding our pipes if we wait for EOF; read what is there once it exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
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
