using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>A backup of the seeded catalogue restored into another database holds the same catalogue, readable by the API's role.</summary>
public sealed class BackupRoundTripTests : IAsyncLifetime
{
    private readonly SeededCatalogue _source = new();
    private readonly EmptyCatalogue _target = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"inclusionmap-backup-{Guid.NewGuid():N}.dump");

    public async Task InitializeAsync()
    {
        await _source.InitializeAsync();
        await _target.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        File.Delete(_file);
    }

    private const string Fingerprint = """
        SELECT (SELECT count(*) FROM sites)::text || ' ' || (SELECT count(*) FROM site_sources) || ' ' || (SELECT count(*) FROM communes)
               || ' ' || (SELECT count(*) FROM site_history) || ' ' || (SELECT count(*) FROM import_runs)
               || ' ' || (SELECT md5(string_agg(id || nom || coalesce(ST_AsText(location), ''), ',' ORDER BY id)) FROM sites)
               || ' ' || (SELECT md5(string_agg(code || coalesce(ST_AsText(geometry), ''), ',' ORDER BY code)) FROM communes)
        """;

    [Fact]
    public async Task A_backup_restored_into_an_empty_database_gives_the_same_catalogue()
    {
        await CatalogueBackup.BackupAsync(_source.OwnerConnectionString, _file, default);
        Assert.True(new FileInfo(_file).Length > 1_000_000);
        await CatalogueBackup.RestoreAsync(_target.OwnerConnectionString, _file, default);
        Assert.Equal(await _source.ScalarAsync<string>(Fingerprint), await _target.ScalarAsync<string>(Fingerprint));

        // The API's role reads the restored tables (the owner's default privileges).
        await using var reader = new NpgsqlConnection(_target.ReaderConnectionString);
        await reader.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM sites", reader);
        Assert.Equal(await _source.ScalarAsync<long>("SELECT count(*) FROM sites"), (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_file_that_is_not_a_backup_is_refused_and_the_database_is_left_as_it_was()
    {
        await File.WriteAllTextAsync(_file, "not a dump");
        var before = await _source.ScalarAsync<string>(Fingerprint);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CatalogueBackup.RestoreAsync(_source.OwnerConnectionString, _file, default));
        Assert.Contains("pg_restore failed", error.Message);
        Assert.Equal(before, await _source.ScalarAsync<string>(Fingerprint));
    }
}
