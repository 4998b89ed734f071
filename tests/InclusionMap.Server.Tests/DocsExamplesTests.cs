using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InclusionMap.Server.Cli;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>
/// Docs that cannot drift: every request example of <c>README.md</c> and <c>docs/*.md</c> runs against the real server
/// and must find something (an example that answers nothing teaches nothing): the GraphQL documents of
/// <c>```graphql</c> blocks, every URL of the APIs and pages in code spans and blocks (OData paths may start at the
/// entity set: <c>Sites?$filter=…</c>), and every command line of the executable (<c>./run.sh verb …</c>), which must
/// parse. Spans that are templates rather than examples (<c>…</c>, <c>&lt;host&gt;</c> aside, <c>lon lat</c>, <c>{x}</c>
/// other than the known placeholders) are left out.
/// </summary>
public sealed partial class DocsExamplesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>The placeholders the docs may use in an example, and what they stand for.</summary>
    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["{departement}"] = "23",
        ["{z}/{x}/{y}"] = "12/2063/1457",
        ["<host>"] = "",
    };

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (InclusionMap.sln) was not found.");
    }

    private static IEnumerable<(string File, string Text)> Documents()
    {
        var root = RepositoryRoot();
        yield return ("README.md", File.ReadAllText(Path.Combine(root, "README.md")));
        foreach (var path in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
            yield return ("docs/" + Path.GetFileName(path), File.ReadAllText(path));
    }

    [GeneratedRegex(@"```graphql\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex GraphQLBlock();

    [GeneratedRegex(@"```[a-z]*\n.*?```", RegexOptions.Singleline)]
    private static partial Regex AnyBlock();

    [GeneratedRegex(@"`(?<span>[^`\n]+)`")]
    private static partial Regex CodeSpan();

    /// <summary>A path of the server's APIs or pages, or an OData path from its entity set.</summary>
    [GeneratedRegex(@"^(?:https?://<host>)?(?<path>/(?:odata|graphql|coverage|maps|tiles|health|lieux|sitemap\.xml|sources|couverture"
        + @"|integrer|embed|widget\.js)\S*(?: \S+)*|(?:Sites|Communes|Departements|Regions)(?:\?|\().*)$")]
    private static partial Regex RequestPath();

    [GeneratedRegex(@"^(?:\./run\.sh|inclusionmap) (?<args>[a-z]+(?: .+)?)$")]
    private static partial Regex CommandLine();

    private static bool IsTemplate(string span) =>
        span.Contains('…') || span.Contains("...", StringComparison.Ordinal) || span.Contains("lon lat", StringComparison.Ordinal)
        || Regex.IsMatch(span.Replace("<host>", "", StringComparison.Ordinal), @"<\w+>|\{\w+\}|=n\b|\bN\b|FILE|URL|\bCS\b");

    private static string Substitute(string text) =>
        Placeholders.Aggregate(text, (t, p) => t.Replace(p.Key, p.Value, StringComparison.Ordinal));

    /// <summary>
    /// The code spans of a document and the lines of its code blocks other than GraphQL, each with whether its line shows
    /// an error (it names an error code such as <c>InvalidKey</c> or <c>BAD_CURSOR</c>, or a 4xx status).
    /// </summary>
    private static IEnumerable<(string Span, bool Error)> Spans(string text)
    {
        foreach (Match block in AnyBlock().Matches(text))
            if (!block.Value.StartsWith("```graphql", StringComparison.Ordinal))
                foreach (var line in block.Value.Split('\n').Skip(1)) yield return (line.Split(" #")[0].Trim(), false);
        foreach (var line in AnyBlock().Replace(text, "").Split('\n'))
            foreach (Match span in CodeSpan().Matches(line))
                yield return (span.Groups["span"].Value.Trim(), ShowsAnError(line, span.Value));
    }

    [GeneratedRegex(@"`(?:[A-Z][a-z]+[A-Z]\w*|[A-Z]+_[A-Z_]+)`|\b4\d\d\b")]
    private static partial Regex ErrorMention();

    private static bool ShowsAnError(string line, string span) => ErrorMention().Matches(line).Any(m => m.Value != span);

    /// <summary>A path with alternatives (<c>sites|communes</c>, <c>.csv|.geojson</c>) as each of its paths.</summary>
    private static IEnumerable<string> Alternatives(string path)
    {
        var m = Regex.Match(path, @"(?<a>[\w.]+)\|(?<b>[\w.|]+)");
        if (!m.Success) return [path];
        return m.Value.Split('|').SelectMany(choice => Alternatives(path[..m.Index] + choice + path[(m.Index + m.Length)..]));
    }

    public static TheoryData<string, string> GraphQLExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, text) in Documents())
            foreach (Match block in GraphQLBlock().Matches(text)) data.Add(file, block.Groups["body"].Value);
        return data;
    }

    public static TheoryData<string, string, bool> RequestExamples()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (file, text) in Documents())
            foreach (var (span, error) in Spans(text).Distinct())
                if (RequestPath().Match(span) is { Success: true } m && !IsTemplate(Substitute(span)))
                    foreach (var path in Alternatives(Substitute(m.Groups["path"].Value)))
                        data.Add(file, path.StartsWith('/') ? path : "/odata/" + path, error);
        return data;
    }

    public static TheoryData<string, string> CommandExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, text) in Documents())
            foreach (var (span, _) in Spans(text).Distinct())
                if (CommandLine().Match(span) is { Success: true } m && !IsTemplate(m.Groups["args"].Value))
                    data.Add(file, m.Groups["args"].Value);
        return data;
    }

    [Theory]
    [MemberData(nameof(GraphQLExamples))]
    public async Task Every_graphql_example_answers_data_without_errors(string file, string document)
    {
        var response = await server.Client.PostAsJsonAsync("/graphql", new { query = document });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["errors"] is null, $"{file}: {body["errors"]}\n{document}");
        Assert.True(HasData(body["data"]), $"{file}: the example answers nothing\n{document}");
    }

    [Theory]
    [MemberData(nameof(RequestExamples))]
    public async Task Every_request_example_answers_with_something(string file, string path, bool error)
    {
        // As a browser asks (a page such as /graphql's GraphiQL answers HTML; the APIs, JSON).
        using var request = new HttpRequestMessage(HttpMethod.Get, path)
        {
            Headers = { { "Accept", "text/html, application/json;q=0.9, */*;q=0.8" } },
        };
        var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (error)
        {
            Assert.True((int)response.StatusCode is >= 400 and < 500,
                $"{file}: {path} shows an error but answered {(int)response.StatusCode}");
            return;
        }
        Assert.True(response.IsSuccessStatusCode,
            $"{file}: {path} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            && JsonNode.Parse(text) is JsonObject json)
        {
            Assert.True(HasData(json) || json["@odata.count"]?.GetValue<long>() > 0,
                $"{file}: {path} answers nothing: {text[..Math.Min(text.Length, 300)]}");
        }
        else Assert.True(text.Length > 0 || response.Content.Headers.ContentLength > 0, $"{file}: {path} answers an empty body");
    }

    [Theory]
    [MemberData(nameof(CommandExamples))]
    public void Every_command_line_example_parses(string file, string arguments)
    {
        // A verb named alone is a mention of it: it must exist.
        var tokens = Tokens(arguments);
        var parse = InclusionMapCli.Parse(InclusionMapCli.Create(), tokens.Length == 1 ? [tokens[0], "--help"] : tokens);
        Assert.True(parse.Errors.Count == 0, $"{file}: ./run.sh {arguments}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
    }

    [Fact]
    public void The_docs_hold_examples_of_every_kind()
    {
        Assert.True(GraphQLExamples().Count >= 3);
        Assert.True(RequestExamples().Count >= 10);
        Assert.True(CommandExamples().Count >= 5);
    }

    /// <summary>Any non-empty list or any value other than null, false or zero somewhere in the answer.</summary>
    private static bool HasData(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject obj => obj.Where(p => !p.Key.StartsWith('@')).Any(p => HasData(p.Value)),
        JsonValue value => value.ToJsonString() is not ("false" or "0" or "\"\""),
        _ => false,
    };

    /// <summary>A command line's arguments: quoted words kept whole, optional brackets dropped, the first of alternatives a|b.</summary>
    private static string[] Tokens(string arguments)
    {
        var words = new List<string>();
        foreach (Match m in Regex.Matches(arguments.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal),
            "\"[^\"]*\"|\\S+"))
        {
            var word = m.Value.StartsWith('"') ? m.Value.Trim('"') : m.Value.Split('|')[0];
            words.Add(word);
        }
        return [.. words];
    }
}
