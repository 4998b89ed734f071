using System.Globalization;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Client.Tests;

/// <summary>The real server and database, with clients that record their exchanges.</summary>
public static class ClientServer
{
    public static (InclusionMapClient Client, RecordingHandler Recorder) Connect(this ServerFixture server,
        InclusionMapClientOptions? options = null)
    {
        var recorder = new RecordingHandler();
        return (new InclusionMapClient(new HttpClient(recorder) { BaseAddress = server.BaseAddress }, options), recorder);
    }

    /// <summary>The first column of every row, as text (ids, codes), in the query's order.</summary>
    public static async Task<List<string>> ColumnAsync(this ServerFixture server, string sql, params object[] parameters)
    {
        await using var command = server.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        return values;
    }

    /// <summary>One row as name → value.</summary>
    public static async Task<Dictionary<string, object?>> RowAsync(this ServerFixture server, string sql, params object[] parameters)
    {
        await using var command = server.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no row");
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }
}
