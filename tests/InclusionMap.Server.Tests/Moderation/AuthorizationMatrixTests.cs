using System.Net;
using InclusionMap.Data.Accounts;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Moderation;

/// <summary>
/// Who may do what, as a matrix over real HTTP: each role (anonymous, the structure of place A, the coordinators of the
/// Creuse and of the Haute-Vienne, an admin) × each operation on its own or another département or place (edit a place,
/// resolve a report, accept or refuse a suggestion, read the queue). A refused write answers 403 (401 anonymous) with
/// its code and writes nothing: the rows of every table it could touch are counted before and after.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Server server) : IClassFixture<AuthorizationMatrixTests.Server>
{
    public sealed class Server : ModerationServer
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Dictionary<string, GraphQLCaller> _callers = [];

        /// <summary>Place A (Creuse), whose structure has an account, and place B (Haute-Vienne).</summary>
        public Task<long> PlaceAsync(string which) => which == "A" ? SiteInAsync("23", 10) : SiteInAsync("87", 0);

        public async Task<GraphQLCaller> CallerAsync(string role)
        {
            await _gate.WaitAsync();
            try
            {
                if (_callers.TryGetValue(role, out var known)) return known;
                var caller = role switch
                {
                    "anonymous" => GraphQLCaller.Anonymous(this),
                    "structure-A" => await GraphQLCaller.WithSessionAsync(this, "structure.a@example.fr", AccountRole.Structure,
                        sites: [await PlaceAsync("A")]),
                    "coordinator-23" => await GraphQLCaller.WithSessionAsync(this, "coordinator.23@example.fr", AccountRole.Coordinator,
                        ["23"]),
                    "coordinator-87" => await GraphQLCaller.WithSessionAsync(this, "coordinator.87@example.fr", AccountRole.Coordinator,
                        ["87"]),
                    "admin" => await GraphQLCaller.WithSessionAsync(this, "admin.matrix@example.fr", AccountRole.Admin),
                    _ => throw new ArgumentOutOfRangeException(nameof(role)),
                };
                return _callers[role] = caller;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static readonly string[] Roles = ["anonymous", "structure-A", "coordinator-23", "coordinator-87", "admin"];

    /// <summary>The operations, on A's side (the Creuse) and B's (the Haute-Vienne).</summary>
    private static readonly string[] Operations =
    [
        "updateSite A", "updateSite B", "resolveReport A", "resolveReport B", "acceptSuggestion 23", "acceptSuggestion 87",
        "refuseSuggestion 23", "refuseSuggestion 87", "moderationQueue 23", "moderationQueue 87",
    ];

    private static bool Allowed(string role, string operation) => role switch
    {
        "admin" => true,
        "structure-A" => operation == "updateSite A",
        "coordinator-23" => operation.EndsWith(" A", StringComparison.Ordinal) || operation.EndsWith(" 23", StringComparison.Ordinal),
        "coordinator-87" => operation.EndsWith(" B", StringComparison.Ordinal) || operation.EndsWith(" 87", StringComparison.Ordinal),
        _ => false,
    };

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var role in Roles)
            foreach (var operation in Operations) data.Add(role, operation, Allowed(role, operation));
        return data;
    }

    private static int _hour;

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_may_do_what_its_scope_allows_and_a_refused_write_changes_nothing(string role, string operation,
        bool allowed)
    {
        var (name, target) = (operation.Split(' ')[0], operation.Split(' ')[1]);
        var anonymous = GraphQLCaller.Anonymous(server);
        var caller = await server.CallerAsync(role);
        string query;
        object variables;
        switch (name)
        {
            case "updateSite":
                var hour = 6 + Interlocked.Increment(ref _hour) % 12;
                query = "mutation($input: UpdateSiteInput!) { updateSite(input: $input) { id horaires } }";
                variables = new { input = new { id = (await server.PlaceAsync(target)).ToString(),
                    horaires = $"Mo {hour:00}:00-{hour + 1:00}:00" } };
                break;
            case "resolveReport":
                var report = (await anonymous.DataAsync(
                    "mutation($id: ID!) { reportProblem(input: {siteId: $id, kind: OTHER, message: \"matrice\"}) { id } }",
                    new { id = (await server.PlaceAsync(target)).ToString() }))["reportProblem"]!["id"]!.GetValue<string>();
                query = "mutation($id: ID!) { resolveReport(input: {id: $id, resolution: NOT_A_PROBLEM}) { status } }";
                variables = new { id = report };
                break;
            case "acceptSuggestion" or "refuseSuggestion":
                var (postcode, commune) = target == "23" ? ("23000", "Guéret") : ("87000", "Limoges");
                var suggestion = (await anonymous.DataAsync("mutation($input: SuggestPlaceInput!) { suggestPlace(input: $input) { id } }",
                    new
                {
                    input = new { nom = $"Lieu proposé {Guid.NewGuid():N}", adresse = "1 place de l'Essai", codePostal = postcode,
                        communeName = commune },
                }))["suggestPlace"]!["id"]!.GetValue<string>();
                query = $"mutation($id: ID!) {{ {name}(input: {{id: $id}}) {{ status }} }}";
                variables = new { id = suggestion };
                break;
            default:
                query = "query($d: String) { moderationQueue(departement: $d) { departements reports { id } } }";
                variables = new { d = target };
                break;
        }

        var before = await SnapshotAsync();
        var (status, body) = await caller.SendAsync(query, variables);
        if (allowed)
        {
            Assert.True(status == HttpStatusCode.OK && body["errors"] is null, $"{role} {operation}: {(int)status} {body}");
            Assert.NotNull(body["data"]![name]);
            return;
        }
        var expected = role == "anonymous" ? (HttpStatusCode.Unauthorized, "UNAUTHENTICATED") : (HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.True((status, body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>()) == expected,
            $"{role} {operation}: {(int)status} {body}");
        Assert.Null(body["data"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>Rows of everything a moderation write touches (a write of one would change one count).</summary>
    private Task<string> SnapshotAsync() => server.ScalarAsync<string>("""
        SELECT concat_ws(' ', (SELECT count(*) FROM sites), (SELECT max(updated_at) FROM sites), (SELECT count(*) FROM site_history),
                         (SELECT count(*) FROM site_edits), (SELECT count(*) FROM site_sources), (SELECT count(*) FROM audit_log),
                         (SELECT count(*) FROM reports WHERE status <> 'Open'), (SELECT count(*) FROM suggestions WHERE status <> 'Open'),
                         (SELECT count(*) FROM report_entries WHERE email IS NULL))
        """);
}
