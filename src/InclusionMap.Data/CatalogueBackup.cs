using System.Diagnostics;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// Backups of the catalogue: a PostgreSQL custom-format dump (<c>pg_dump -Fc</c>) made as the catalogue's owner, and its
/// restore (<c>pg_restore</c>) into an empty database or over an existing catalogue, in one transaction (a failed restore
/// leaves the database as it was). Ownership and grants are not carried: the restoring role owns what it restores, and
/// the reader's SELECT comes from the owner's default privileges (<see cref="CatalogueRoles"/>). The extensions are not
/// carried either: the database has them already (created by the superuser, or by the administrator of an external one).
/// The tools are the installed PostgreSQL's (<see cref="PostgresCluster.FindBinDirectory"/>); the password travels in the
/// tools' environment, never on their command line.
/// </summary>
public static class CatalogueBackup
{
    /// <summary>
    /// Writes a dump of the catalogue to <paramref name="file"/> (through a temporary file, so a failure leaves no half dump).
    /// </summary>
    public static async Task BackupAsync(string connectionString, string file, CancellationToken ct)
    {
        var partial = file + ".partial";
        try
        {
            await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", partial], connectionString, ct);
            File.Move(partial, file, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Restores a dump over the catalogue of <paramref name="connectionString"/>, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The file is not a dump, or the restore failed (the message has the tool's
    /// words).</exception>
    public static async Task RestoreAsync(string connectionString, string file, CancellationToken ct)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such file.");
        // The table of contents without the extensions (their comments, PostGIS's spatial_ref_sys), which only a superuser may replace.
        var contents = await RunAsync("pg_restore", ["--list", file], connectionString, ct);
        var list = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(list, contents.Split('\n').Where(line => !line.Contains(" EXTENSION ", StringComparison.Ordinal)
                && !line.Contains("spatial_ref_sys", StringComparison.Ordinal)), ct);
            await RunAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                "--exit-on-error",
                "--use-list", list, "--dbname", new NpgsqlConnectionStringBuilder(connectionString).Database!, file], connectionString, ct);
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>Runs a PostgreSQL client tool against the database of <paramref name="connectionString"/>; its standard output.</summary>
    private static async Task<string> RunAsync(string tool, IReadOnlyList<string> args, string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(PostgresCluster.FindBinDirectory(), tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PGHOST"] = connection.Host ?? "localhost";
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = connection.Database ?? "";
        start.Environment["PGUSER"] = connection.Username ?? Environment.UserName;
        if (connection.Password is { } password) start.Environment["PGPASSWORD"] = password;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {(await stderr).Trim().ReplaceLineEndings(" ")}");
        return await stdout;
    }
}
