using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// The catalogue's database roles, least privilege for each use. The cluster's superuser only administers (the database,
/// its extensions, these roles); <see cref="Owner"/> owns the catalogue's objects (migrations, imports, deduplication,
/// the command-line verbs); <see cref="Reader"/> serves the API: SELECT only, read-only transactions by default and a
/// statement timeout, and nothing of the accounts; <see cref="Editor"/> makes the web's writes on the primary (sign-ins,
/// accounts, tokens, the audit log): SELECT, and only the writes of <see cref="WebTables"/>. Applied to the private
/// cluster at every start (idempotent); an external database gets the same roles from the SQL in docs/security.md.
/// </summary>
public static class CatalogueRoles
{
    public const string Owner = "inclusionmap_owner";
    public const string Reader = "inclusionmap_reader";
    public const string Editor = "inclusionmap_editor";

    /// <summary>
    /// The tables the web writes, each with what the editor may do to it, and whether it is private (the reader may not
    /// even read it). Every other table the editor may only read. Declared once: the grants derive from it.
    /// </summary>
    public static readonly IReadOnlyList<WebTable> WebTables =
    [
        new("accounts", "INSERT, UPDATE", Private: true),
        new("account_claims", "INSERT, UPDATE, DELETE", Private: true),
        new("account_logins", "INSERT, UPDATE, DELETE", Private: true),
        new("account_tokens", "INSERT, UPDATE, DELETE", Private: true),
        new("api_tokens", "INSERT, UPDATE", Private: true),
        new("one_time_links", "INSERT, UPDATE", Private: true),
        new("audit_log", "INSERT", Private: true),
        new("data_protection_keys", "INSERT", Private: true),
        // Moderation (docs/moderation.md): edits change places and add to their history; an accepted suggestion adds a
        // place and its record. Reports and suggestions hold residents' addresses: private.
        new("sites", "INSERT, UPDATE", Private: false),
        new("site_sources", "INSERT", Private: false),
        new("site_history", "INSERT", Private: false),
        new("site_edits", "INSERT, UPDATE", Private: true),
        new("reports", "INSERT, UPDATE", Private: true),
        new("report_entries", "INSERT, UPDATE", Private: true),
        new("suggestions", "INSERT, UPDATE", Private: true),
    ];

    /// <summary>How long one statement of the API may run before PostgreSQL cancels it.</summary>
    public static readonly TimeSpan DefaultReaderStatementTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The extensions the migrations use: PostGIS can only be created by a superuser.</summary>
    private static readonly string[] Extensions = ["postgis", "pg_trgm", "unaccent"];

    /// <summary>
    /// Before the owner's migrations, as the superuser: the roles, the database owned by <see cref="Owner"/>, then its
    /// extensions and privileges (<see cref="SecureDatabaseAsync"/>).
    /// </summary>
    public static async Task PrepareAsync(PostgresCluster cluster, string database, TimeSpan readerStatementTimeout,
        CancellationToken ct = default)
    {
        await using (var admin = await OpenAsync(cluster.ConnectionString("postgres"), ct))
            await EnsureRolesAsync(admin, cluster.Secrets, readerStatementTimeout, ct);
        await cluster.EnsureDatabaseAsync(database, Owner, ct);
        await using var onDatabase = await OpenAsync(cluster.ConnectionString(database), ct);
        await SecureDatabaseAsync(onDatabase, ct);
    }

    /// <summary>After the migrations, as the superuser: <see cref="GrantReadsAsync(NpgsqlConnection, CancellationToken)"/>.</summary>
    public static async Task GrantReadsAsync(PostgresCluster cluster, string database, CancellationToken ct = default)
    {
        await using var onDatabase = await OpenAsync(cluster.ConnectionString(database), ct);
        await GrantReadsAsync(onDatabase, ct);
    }

    /// <summary>
    /// Creates or updates the three roles (they are cluster-wide): their passwords from <paramref name="secrets"/> (null: no
    /// password, for a test cluster that trusts its private socket), no power beyond logging in, the reader's defaults;
    /// the reader's statement timeout applies to the editor too (both serve web requests).
    /// </summary>
    public static async Task EnsureRolesAsync(NpgsqlConnection admin, ClusterSecrets? secrets, TimeSpan readerStatementTimeout,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readerStatementTimeout, TimeSpan.FromMilliseconds(1));
        string Password(string role) => secrets is null ? "NULL" : $"'{ClusterSecrets.ScramVerifier(secrets.PasswordOf(role))}'";
        const string limits = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
        await ExecuteAsync(admin, $"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Owner}') THEN CREATE ROLE {Owner}; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Reader}') THEN CREATE ROLE {Reader}; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Editor}') THEN CREATE ROLE {Editor}; END IF;
            END $$;
            ALTER ROLE {Owner} {limits} PASSWORD {Password(Owner)};
            ALTER ROLE {Reader} {limits} PASSWORD {Password(Reader)};
            ALTER ROLE {Reader} SET default_transaction_read_only = on;
            ALTER ROLE {Reader} SET statement_timeout = {(long)readerStatementTimeout.TotalMilliseconds};
            ALTER ROLE {Editor} {limits} PASSWORD {Password(Editor)};
            ALTER ROLE {Editor} SET statement_timeout = {(long)readerStatementTimeout.TotalMilliseconds};
            """, ct);
    }

    /// <summary>
    /// Inside the catalogue's database, as the superuser: the extensions, no access for PUBLIC (the reader may connect,
    /// the owner owns), the owner taking over what an older InclusionMap created as the superuser, and SELECT for the
    /// reader on every table, present (<see cref="GrantReadsAsync(NpgsqlConnection, CancellationToken)"/>) and future
    /// (the owner's default privileges). Everything but the database's own privileges is copied with the database when
    /// it serves as a template.
    /// </summary>
    public static async Task SecureDatabaseAsync(NpgsqlConnection onDatabase, CancellationToken ct = default)
    {
        var database = PostgresCluster.QuoteIdentifier(onDatabase.Database);
        await ExecuteAsync(onDatabase, $"""
            {string.Join('\n', Extensions.Select(e => $"CREATE EXTENSION IF NOT EXISTS {e};"))}
            REVOKE ALL ON DATABASE {database} FROM PUBLIC;
            GRANT CONNECT ON DATABASE {database} TO {Reader}, {Editor};
            {TakeOverSql}
            ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT SELECT ON TABLES TO {Reader}, {Editor};
            """, ct);
        await GrantReadsAsync(onDatabase, ct);
    }

    /// <summary>
    /// SELECT for the reader and the editor on every table, view and materialized view of the catalogue's schema (the
    /// owner's default privileges cover what it creates; this covers the rest: an upgraded catalogue, the extensions'
    /// tables), then, on the <see cref="WebTables"/> that exist, nothing for the reader on private ones and the editor's
    /// writes. Idempotent; run again after every migration.
    /// </summary>
    public static Task GrantReadsAsync(NpgsqlConnection onDatabase, CancellationToken ct = default) =>
        ExecuteAsync(onDatabase, $"""
            GRANT USAGE ON SCHEMA public TO {Reader}, {Editor};
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO {Reader}, {Editor};
            DO $$ BEGIN
            {string.Join('\n', WebTables.Select(WebTableGrants))}
            END $$;
            """, ct);

    private static string WebTableGrants(WebTable table)
    {
        var reader = table.Private ? $"REVOKE ALL ON {table.Name} FROM {Reader};" : "";
        return $"IF to_regclass('public.{table.Name}') IS NOT NULL THEN {reader} "
            + $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table.Name} FROM {Editor}; "
            + $"GRANT {table.EditorMay} ON {table.Name} TO {Editor}; END IF;";
    }

    /// <summary>
    /// The catalogue's objects an older InclusionMap created as the superuser go to the owner. <c>REASSIGN OWNED</c> cannot
    /// take objects from the bootstrap superuser, hence one <c>ALTER</c> each; extension members stay, and sequences
    /// of identity columns follow their table.
    /// </summary>
    private const string TakeOverSql = $"""
        DO $$
        DECLARE ddl text;
        BEGIN
          FOR ddl IN
            SELECT format('ALTER %s %s OWNER TO {Owner}',
                          CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                          c.oid::regclass)
              FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = to_regrole(current_user)
               AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND NOT EXISTS (SELECT FROM pg_depend d
                                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
            UNION ALL
            SELECT format('ALTER ROUTINE %s OWNER TO {Owner}', p.oid::regprocedure)
              FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = to_regrole(current_user)
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            UNION ALL
            SELECT format('ALTER TYPE %s OWNER TO {Owner}', t.oid::regtype)
              FROM pg_type t
             WHERE t.typnamespace = 'public'::regnamespace AND t.typowner = to_regrole(current_user) AND t.typtype IN ('e', 'd')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
          LOOP
            EXECUTE ddl;
          END LOOP;
        END $$;
        """;

    /// <summary>
    /// Why a connection meant for reads could write; empty when it cannot. A hot standby cannot write at all; otherwise
    /// a superuser, transactions read-write by default, a write privilege on a catalogue table, or CREATE in its schema.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindWriteAccessAsync(NpgsqlDataSource reads, CancellationToken ct = default)
    {
        await using var command = reads.CreateCommand("""
            SELECT current_user::text, pg_is_in_recovery(), r.rolsuper, current_setting('default_transaction_read_only') = 'on',
                   (SELECT count(*) FROM pg_class c
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
                       AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')),
                   has_schema_privilege('public', 'CREATE')
              FROM pg_roles r WHERE r.rolname = current_user
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetBoolean(1)) return [];
        var user = reader.GetString(0);
        var reasons = new List<string>();
        if (reader.GetBoolean(2)) reasons.Add($"{user} is a superuser");
        if (!reader.GetBoolean(3)) reasons.Add("its transactions are read-write by default (default_transaction_read_only is off)");
        if (reader.GetInt64(4) is > 0 and var tables) reasons.Add($"{user} may change {tables} tables");
        if (reader.GetBoolean(5)) reasons.Add($"{user} may create objects in schema public");
        return reasons;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
