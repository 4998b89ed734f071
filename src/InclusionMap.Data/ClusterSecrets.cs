using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace InclusionMap.Data;

/// <summary>
/// The passwords of the private cluster's roles (its superuser, the catalogue's owner, reader and editor), generated once
/// (32 random bytes each) and kept in <c>secrets.json</c> in the state directory, readable by its owner only.
/// They never appear in a log, an argument list or a SQL statement: roles get a SCRAM verifier made here.
/// </summary>
public sealed class ClusterSecrets
{
    public const string FileName = "secrets.json";

    public required string Superuser { get; init; }
    public required string Owner { get; init; }
    public required string Reader { get; init; }
    public required string Editor { get; init; }

    /// <summary>The password of a role of the private cluster.</summary>
    public string PasswordOf(string role) => role switch
    {
        PostgresClusterOptions.SuperUser => Superuser,
        CatalogueRoles.Owner => Owner,
        CatalogueRoles.Reader => Reader,
        CatalogueRoles.Editor => Editor,
        _ => throw new ArgumentException($"The private cluster has no role '{role}'.", nameof(role)),
    };

    public override string ToString() => "ClusterSecrets (redacted)";

    public static bool ExistIn(string stateDirectory) => File.Exists(Path.Combine(stateDirectory, FileName));

    /// <summary>
    /// The state directory's secrets, generated the first time. Created under a temporary name and renamed: a reader
    /// never sees half a file, and of two processes creating them at once the first rename wins and both use it.
    /// </summary>
    public static ClusterSecrets LoadOrCreate(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (File.Exists(path)) return Load(path);
        CreateStateDirectory(stateDirectory);
        var secrets = new ClusterSecrets { Superuser = NewPassword(), Owner = NewPassword(), Reader = NewPassword(),
            Editor = NewPassword() };
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        Write(secrets, temporary);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return secrets;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Load(path);
        }
    }

    /// <summary>Writes these secrets into another state directory (a replica's: its roles are the primary's).</summary>
    public void SaveTo(string stateDirectory)
    {
        CreateStateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path)) Write(this, path);
    }

    /// <summary>
    /// What PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802, 7677; the format of <c>pg_authid</c>), made the
    /// way psql's <c>\password</c> does, so that <c>ALTER ROLE … PASSWORD</c> carries no password to the server or its log.
    /// Written here because Npgsql does not expose it.
    /// </summary>
    internal static string ScramVerifier(string password)
    {
        const int iterations = 4096;
        var salt = RandomNumberGenerator.GetBytes(16);
        // SASLprep leaves our passwords (ASCII letters, digits, '-' and '_') unchanged.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        static string Base64(byte[] bytes) => Convert.ToBase64String(bytes);
        return $"SCRAM-SHA-256${iterations}:{Base64(salt)}${Base64(storedKey)}:{Base64(serverKey)}";
    }

    private static void CreateStateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string NewPassword() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static ClusterSecrets Load(string path)
    {
        // A copy restored with looser permissions is tightened, not trusted as is.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var stored = JsonSerializer.Deserialize<StoredSecrets>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (stored is not { Superuser: { } superuser, Owner: { } owner, Reader: { } reader })
            throw new InvalidDataException($"{path} lacks a password of the superuser, the owner or the reader.");
        var secrets = new ClusterSecrets { Superuser = superuser, Owner = owner, Reader = reader,
            Editor = stored.Editor ?? DerivedEditorPassword(superuser) };
        if (stored.Editor is null)
        {
            // Written by an older InclusionMap: add the editor's, derived so that two processes upgrading at once agree.
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            Write(secrets, temporary);
            File.Move(temporary, path, overwrite: true);
        }
        return secrets;
    }

    /// <summary>
    /// The editor's password for a <c>secrets.json</c> made before that role existed: a key derived from the superuser's.
    /// </summary>
    private static string DerivedEditorPassword(string superuser) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(superuser), Encoding.UTF8.GetBytes(CatalogueRoles.Editor)));

    /// <summary>The file as read, each password possibly missing.</summary>
    private sealed record StoredSecrets(string? Superuser, string? Owner, string? Reader, string? Editor);

    private static void Write(ClusterSecrets secrets, string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        JsonSerializer.Serialize(stream, secrets, JsonOptions);
        stream.Flush(flushToDisk: true);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
