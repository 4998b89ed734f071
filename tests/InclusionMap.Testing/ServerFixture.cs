using InclusionMap.Server;
using InclusionMap.Server.Catalogue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace InclusionMap.Testing;

/// <summary>
/// The real server on a real Kestrel port (loopback, chosen by the OS), over a fresh copy of the seeded catalogue.
/// Tests talk to it with a plain <see cref="HttpClient"/>: real HTTP, real middleware, real database. As in production,
/// the server migrates as the catalogue's owner role, the web writes as the editor role and the API reads as the
/// read-only role: a write slipped into API code fails here. Mail goes to <see cref="OutboxDirectory"/>.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly SeededCatalogue _database = new();
    public WebApplication App { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string ConnectionString => _database.ConnectionString;
    /// <summary>As the catalogue's owner role, which the server writes with.</summary>
    public string OwnerConnectionString => _database.OwnerConnectionString;
    /// <summary>Where the server writes its mail (no SMTP server is configured unless a test class says so).</summary>
    public string OutboxDirectory { get; } = Directory.CreateTempSubdirectory("im-outbox-").FullName;
    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public Task<T> ScalarAsync<T>(string sql, params object[] parameters) => _database.ScalarAsync<T>(sql, parameters);

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var settings = new CatalogueSettings
        {
            ConnectionString = _database.OwnerConnectionString,
            ReadConnectionString = _database.ReaderConnectionString,
            WebWriteConnectionString = _database.EditorConnectionString,
            StateDirectory = Path.GetTempPath(),
            DataDirectory = TestCluster.DataDirectory,
        };
        App = InclusionMapApp.Build(settings,
            ["--urls", "http://127.0.0.1:0", "--environment", "Testing", "--InclusionMap:Mail:OutboxDirectory=" + OutboxDirectory],
            Configure);
        Map(App);
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
        var state = App.Services.GetRequiredService<CatalogueState>();
        for (var i = 0; !state.Ready && i < 600; i++) await Task.Delay(100);
        if (!state.Ready) throw new InvalidOperationException($"Server not ready: {state.Phase} {state.Failure}");
    }

    /// <summary>Extra host configuration for a test class (e.g. a SQL command counter).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <summary>Extra endpoints for a test class, mapped after the app's own (e.g. one that fails on purpose).</summary>
    protected virtual void Map(WebApplication app)
    {
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(OutboxDirectory, recursive: true);
    }
}
