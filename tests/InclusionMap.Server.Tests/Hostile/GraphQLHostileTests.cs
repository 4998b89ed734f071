using System.Globalization;
using System.Text;
using System.Text.Json;
using static InclusionMap.Server.Tests.Hostile.HostileRequest;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>Malformed and hostile GraphQL requests: bodies, encodings, documents, values, geometries, transport and headers.</summary>
[Collection(HostileServerCollection.Name)]
public sealed class GraphQLHostileTests(HostileServer server)
{
    private const string Nodes = "{ nodes { id } }";

    private static readonly HostileRequest[] Corpus =
    [
        // Bodies that are not a GraphQL request, broken encodings.
        Body("body with an invalid UTF-8 byte", Bytes("""{"query":"{ sites """, 0xFF, """{ nodes { id } } }"}""")),
        Body("body with an overlong '/' (C0 AF)", Bytes("""{"query":"{ sites(search: \"a""", 0xC0, 0xAF, """b\") { nodes { id } } }"}""")),
        Body("body with an overlong NUL (C0 80)", Bytes("""{"query":"{ sites(search: \"a""", 0xC0, 0x80, """b\") { nodes { id } } }"}""")),
        Body("body with a truncated UTF-8 sequence", Bytes("""{"query":"{ sites(search: \"a""", 0xE2, 0x82,
            """\") { nodes { id } } }"}""")),
        Body("body with a lone surrogate escape", Bytes("""{"query":"{ sites(search: \"\ud800ab\") { nodes { id } } }"}""")),
        Body("body in UTF-16", Encoding.Unicode.GetBytes("""{"query":"{ sites { nodes { id } } }"}""")),
        Body("body with a raw NUL byte", Bytes("""{"query":"{ sites""", 0x00, """ { nodes { id } } }"}""")),
        Body("empty body", []),
        Body("body is an array", Bytes("[]")),
        Body("body is a string", Bytes("\"{ sites { nodes { id } } }\"")),
        Body("body is null", Bytes("null")),
        Body("body is truncated", Bytes("""{"query":"{ sites""")),
        Body("query is a number", Bytes("""{"query":123}""")),
        Body("query is null", Bytes("""{"query":null}""")),
        Body("query is an object", Bytes("""{"query":{"a":1}}""")),
        Body("variables are a string", Bytes("""{"query":"query($n: Int) { sites(first: $n) { nodes { id } } }","variables":"x"}""")),
        Body("variables are an array", Bytes("""{"query":"query($n: Int) { sites(first: $n) { nodes { id } } }","variables":[1,2]}""")),
        Body("operationName is a number", Bytes("""{"query":"{ sites { nodes { id } } }","operationName":5}""")),
        Body("variables nested 10,000 arrays deep",
            Bytes("""{"query":"query($n: Int) { sites(first: $n) { nodes { id } } }","variables":{"n":""",
            new string('[', 10_000), new string(']', 10_000), "}}")),
        Body("a 70 KB body", Bytes("""{"query":"{ sites { nodes { id } } }","x":" """, new string('a', 70_000), "\"}")),
        Body("a polygon of 100,000 vertices (2 MB)",
            Bytes("""{"query":"query($w: GeoJSON) { sites(within: $w) { nodes { id } } }","variables":{"w":""",
            Polygon(100_000), "}}")),
        Q("a document of only a comment", "# nothing"),
        Q("an unterminated string", "{ sites(search: \"abc) { nodes { id } } }"),
        Q("an invalid unicode escape", "{ sites(search: \"\\uZZZZ\") { nodes { id } } }"),
        Q("an unknown field", "{ nope }"),
        Q("an unknown argument", "{ sites(nope: 1) " + Nodes + " }"),
        Q("two anonymous operations", "{ sites " + Nodes + " } { departements { code } }"),
        Q("an undefined variable", "{ sites(first: $n) " + Nodes + " }"),
        Q("a mutation the schema does not have", "mutation { deleteEverything }"),
        Q("a subscription the schema does not have", "subscription { sites " + Nodes + " }"),
        Q("an unknown directive", "{ sites @nope " + Nodes + " }"),
        Q("a fragment cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
        Q("1,000 repeated directives", "{ sites " + string.Concat(Enumerable.Repeat("@skip(if: false) ", 1000)) + Nodes + " }"),
        Q("5,000 nested braces", new string('{', 5000) + new string('}', 5000)),
        Q("fields nested 40 deep", "{ " + string.Concat(Enumerable.Repeat("departements { communes { nodes { ", 13)) + "code"
            + new string('}', 39) + " }"),
        Q("2,000 aliases of departements", "{ " + string.Concat(Enumerable.Range(0, 2000).Select(i => $"a{i}: departements {{ code }} "))
            + "}"),
        Q("3,000 aliases of __typename", "{ " + string.Concat(Enumerable.Range(0, 3000).Select(i => $"a{i}: __typename ")) + "}"),
        Q("an operation name that is not in the document", "query A { sites " + Nodes + " }", operationName: "B"),

        // Values: numbers out of range or not numbers, strings too long or holding NUL, bad cursors and dates.
        Q("latitude 1e308", "{ sites(near: {latitude: 1e308, longitude: 2}) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("latitude -1e308", "{ sites(near: {latitude: -1e308, longitude: 2}) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("latitude 1e309 (overflows a double)", "{ sites(near: {latitude: 1e309, longitude: 2}) " + Nodes + " }"),
        Q("latitude -0", "{ sites(near: {latitude: -0, longitude: 2}, first: 1) " + Nodes + " }", Answer.Served),
        Q("longitude -0.0", "{ sites(near: {latitude: 46, longitude: -0.0}, first: 1) " + Nodes + " }", Answer.Served),
        Q("latitude \"NaN\" as a string", "{ sites(near: {latitude: \"NaN\", longitude: 2}) " + Nodes + " }"),
        Q("latitude NaN as a name", "{ sites(near: {latitude: NaN, longitude: 2}) " + Nodes + " }"),
        V("latitude \"NaN\" in variables", "query($p: GeoPointInput) { sites(near: $p) " + Nodes + " }",
            """{"p":{"latitude":"NaN","longitude":2}}"""),
        V("latitude \"Infinity\" in variables", "query($p: GeoPointInput) { sites(near: $p) " + Nodes + " }",
            """{"p":{"latitude":"Infinity","longitude":2}}"""),
        V("latitude 1e308 in variables", "query($p: GeoPointInput) { sites(near: $p) " + Nodes + " }",
            """{"p":{"latitude":1e308,"longitude":2}}""", Answer.GraphQLFieldError),
        V("latitude 1e400 in variables", "query($p: GeoPointInput) { sites(near: $p) " + Nodes + " }",
            """{"p":{"latitude":1e400,"longitude":2}}"""),
        Q("latitude 91", "{ sites(near: {latitude: 91, longitude: 2}) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("longitude -181", "{ sites(near: {latitude: 46, longitude: -181}) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("radius 1e308", "{ sites(near: {latitude: 46, longitude: 2}, radiusMeters: 1e308) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("radius -1", "{ sites(near: {latitude: 46, longitude: 2}, radiusMeters: -1) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("radius 0", "{ sites(near: {latitude: 46, longitude: 2}, radiusMeters: 0) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("radius without near", "{ sites(radiusMeters: 1000) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("first -1", "{ sites(first: -1) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("first 2147483648 (overflows an Int)", "{ sites(first: 2147483648) " + Nodes + " }"),
        Q("first 1,000,000", "{ sites(first: 1000000) " + Nodes + " }"),
        Q("first 101", "{ sites(first: 101) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("first 1e3 (a float for an Int)", "{ sites(first: 1e3) " + Nodes + " }"),
        Q("after is garbage", "{ sites(after: \"!!!\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("after is 10 KB", "{ sites(after: \"" + new string('A', 10_000) + "\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("after is base64 of JSON", "{ sites(after: \"eyJ4IjoxfQ\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("after with a NUL", "{ sites(after: \"aTox\\u0000\") " + Nodes + " }"),
        Q("communeCode with a NUL", "{ sites(communeCode: \"23\\u0000096\") " + Nodes + " }"),
        Q("communeCode of 10 KB", "{ sites(communeCode: \"" + new string('9', 10_000) + "\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("communeCode path traversal", "{ sites(communeCode: \"../../etc/passwd\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("departementCode with SQL", "{ sites(departementCode: \"2A'--\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("departementCode empty", "{ sites(departementCode: \"\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("search with a NUL", "{ sites(search: \"ab\\u0000cd\") " + Nodes + " }"),
        Q("search of 10 KB", "{ sites(search: \"" + new string('é', 10_000) + "\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("search of one character", "{ sites(search: \"a\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("search of only wildcards", "{ sites(search: \"%\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("search with a right-to-left override", "{ sites(search: \"\u202Eabc\", first: 1) " + Nodes + " }", Answer.Served),
        Q("search with an escape sequence", "{ sites(search: \"ab\\u001b[31mcd\") " + Nodes + " }", Answer.GraphQLFieldError),
        Q("openAt not a date", "{ sites(openAt: \"9999-99-99\") " + Nodes + " }"),
        Q("openAt in year 1", "{ sites(openAt: \"0001-01-01T00:00:00Z\") " + Nodes + " }"),
        Q("openAt empty", "{ sites(openAt: \"\") " + Nodes + " }"),
        Q("bbox inverted", "{ sites(bbox: {west: 3, south: 47, east: 2, north: 46}) " + Nodes + " }", Answer.GraphQLFieldError),
        Q("bbox of 1e308", "{ sites(bbox: {west: -1e308, south: -1e308, east: 1e308, north: 1e308}) " + Nodes + " }",
            Answer.GraphQLFieldError),
        V("bbox of NaN in variables", "query($b: BBoxInput) { sites(bbox: $b) " + Nodes + " }",
            """{"b":{"west":"NaN","south":1,"east":2,"north":3}}"""),
        Q("services with an unknown value", "{ sites(services: [NOPE]) " + Nodes + " }"),
        Q("services as a string", "{ sites(services: \"AIDE_AUX_DEMARCHES_ADMINISTRATIVES\") " + Nodes + " }"),
        Q("1,000 repeated services",
            "{ sites(first: 1, services: [" + string.Join(",", Enumerable.Repeat("AIDE_AUX_DEMARCHES_ADMINISTRATIVES", 1000)) + "]) "
            + Nodes + " }", Answer.Served),

        // Geometries.
        W("a self-intersecting polygon (bow tie)", """{"type":"Polygon","coordinates":[[[1,46],[2,47],[2,46],[1,47],[1,46]]]}""",
            Answer.GraphQLFieldError),
        W("an unclosed ring", """{"type":"Polygon","coordinates":[[[1,46],[2,46],[2,47],[1,47]]]}"""),
        W("a ring of two points", """{"type":"Polygon","coordinates":[[[1,46],[1,46]]]}"""),
        W("an empty polygon", """{"type":"Polygon","coordinates":[]}""", Answer.GraphQLFieldError),
        W("a point instead of a polygon", """{"type":"Point","coordinates":[1,46]}""", Answer.GraphQLFieldError),
        W("absurd coordinates", """{"type":"Polygon","coordinates":[[[1000,4600],[2000,4600],[2000,4700],[1000,4600]]]}""",
            Answer.GraphQLFieldError),
        W("coordinates of 1e308", """{"type":"Polygon","coordinates":[[[1e308,1e308],[-1e308,1e308],[-1e308,-1e308],[1e308,1e308]]]}""",
            Answer.GraphQLFieldError),
        W("coordinates that are strings", """{"type":"Polygon","coordinates":[[["a","b"],["c","d"],["e","f"],["a","b"]]]}"""),
        W("coordinates that are a string", """{"type":"Polygon","coordinates":"x"}"""),
        W("an unknown geometry type", """{"type":"Hexagon","coordinates":[]}"""),
        W("a geometry nested 5,000 arrays deep", """{"type":"Polygon","coordinates":""" + new string('[', 5000) + new string(']', 5000)
            + "}"),
        W("a multipolygon with an empty part", """{"type":"MultiPolygon","coordinates":[[]]}"""),
        Q("within as a string literal", "{ sites(within: \"POLYGON((1 46, 2 46, 2 47, 1 46))\") " + Nodes + " }"),

        // Other fields.
        Q("coverage of a département with a NUL", "{ coverage(departementCode: \"2\\u00003\") { summary { communes } } }"),
        Q("coverage of 1e308 metres", "{ coverage(departementCode: \"23\", maxDistanceMeters: 1e308) { summary { communes } } }",
            Answer.GraphQLFieldError),
        Q("coverage with 1,000,000 suggestions", "{ coverage(departementCode: \"23\", suggest: 1000000) { summary { communes } } }",
            Answer.GraphQLFieldError),
        Q("coverage of 6,000 communes",
            "{ coverage(communeCodes: [" + string.Join(",", Enumerable.Range(10000, 6000).Select(i => $"\"{i}\""))
            + "]) { summary { communes } } }"),
        Q("site id that is not a number", "{ site(id: \"abc\") { id } }", Answer.Served),
        Q("site id beyond a long", "{ site(id: \"99999999999999999999999\") { id } }", Answer.Served),
        Q("site id -1", "{ site(id: \"-1\") { id } }", Answer.Served),
        Q("commune code with a NUL", "{ commune(code: \"23\\u0000\") { name } }"),
        Q("commune suggestions for 10 KB", "{ communeSuggestions(query: \"" + new string('x', 10_000) + "\") { code } }",
            Answer.GraphQLFieldError),
        Q("commune suggestions, 1,000,000 of them", "{ communeSuggestions(query: \"gue\", first: 1000000) { code } }"),
        Q("communes, 1,000,000 per page", "{ communes(first: 1000000) { nodes { code } } }"),

        // Transport: query strings, methods, media types, lengths.
        Get("GET query=%ZZ", "/graphql?query=%ZZ"),
        Get("GET query=% alone", "/graphql?query=%"),
        Get("GET query with an overlong '/'", "/graphql?query=%7B%20sites%C0%AF%20%7D"),
        Get("GET query of FF FE bytes", "/graphql?query=%FF%FE"),
        Get("GET query of a NUL", "/graphql?query=%00"),
        Get("GET query of a NUL inside a string", "/graphql?query=%7B%20commune(code%3A%20%2223%00%22)%20%7B%20name%20%7D%20%7D"),
        Get("GET variables that do not parse", "/graphql?query=query(%24n%3A%20Int)%20%7B%20sites(first%3A%20%24n)"
            + "%20%7B%20nodes%20%7B%20id%20%7D%20%7D%20%7D&variables=%7Bbroken"),
        Get("GET a mutation", "/graphql?query=mutation%20%7B%20x%20%7D"),
        Get("GET with a 9 KB request line", "/graphql?query=" + new string('a', 9000), Answer.RefusedByHttpServer),
        Get("GET without a query, for JSON", "/graphql"),
        Post("POST as text/plain", "/graphql", "text/plain", """{"query":"{ sites { nodes { id } } }"}"""),
        Post("POST without a Content-Type", "/graphql", null, """{"query":"{ sites { nodes { id } } }"}"""),
        Post("POST as a form", "/graphql", "application/x-www-form-urlencoded", "query=%7B%20sites%20%7D"),
        Post("POST with a 10 KB Content-Type", "/graphql", "application/" + new string('x', 10_000),
            """{"query":"{ sites { nodes { id } } }"}"""),
        Post("POST claiming UTF-16, sending UTF-8", "/graphql", "application/json; charset=utf-16",
            """{"query":"{ sites(first: 1) { nodes { id } } }"}""", Answer.Served),
        Post("POST accepting only PNG", "/graphql", "application/json", """{"query":"{ sites { nodes { id } } }"}""", Answer.Refused,
            "Accept: image/png"),
        Post("POST accepting only application/json, a syntax error", "/graphql", "application/json", """{"query":"{ sites("}""",
            Answer.GraphQLErrorsIn200, "Accept: application/json"),
        Post("POST with an Accept of 2,000 types", "/graphql", "application/json", """{"query":"{ sites { nodes { nope } } }"}""",
            Answer.Refused, "Accept: " + string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"x/y{i}")) + ", */*"),
        Post("POST whose Content-Length is short", "/graphql", "application/json", """{"query":"{ sites { nodes { id } } }"}"""[..10]),
        Method("PUT", "PUT", "/graphql"),
        Method("DELETE", "DELETE", "/graphql"),
        Method("PATCH", "PATCH", "/graphql"),
        Raw("POST chunked", "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n" + Chunk("{\"query\":\"{ departements ") + Chunk("{ code } }\"}") + "0\r\n\r\n",
            Answer.Served),
        Raw("POST with a chunk size that is not hexadecimal",
            "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", Answer.RefusedByHttpServer),
    ];

    public static TheoryData<string> Names => [.. Corpus.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public Task Answers_with_a_clear_4xx_and_nothing_internal(string name) =>
        server.AssertAnsweredAsync(Corpus.Single(c => c.Name == name));

    private static HostileRequest Body(string name, byte[] body) => Post(name, "/graphql", "application/json", body);

    private static HostileRequest Q(string name, string query, Answer expected = Answer.Refused, string? operationName = null) =>
        Post(name, "/graphql", "application/json", JsonSerializer.Serialize(new { query, operationName }), expected);

    private static HostileRequest V(string name, string query, string variables, Answer expected = Answer.Refused) =>
        Post(name, "/graphql", "application/json", $$"""{"query":{{JsonSerializer.Serialize(query)}},"variables":{{variables}}}""",
            expected);

    private static HostileRequest W(string name, string geometry, Answer expected = Answer.Refused) =>
        V(name, "query($w: GeoJSON) { sites(within: $w) " + Nodes + " }", $$"""{"w":{{geometry}}}""", expected);

    private static string Chunk(string text) => $"{text.Length:x}\r\n{text}\r\n";

    /// <summary>A closed ring of <paramref name="vertices"/> points around Guéret, as GeoJSON.</summary>
    internal static string Polygon(int vertices) =>
        "{\"type\":\"Polygon\",\"coordinates\":[[" + string.Join(",", Enumerable.Range(0, vertices).Append(0).Select(i =>
        {
            var angle = 2 * Math.PI * i / vertices;
            return string.Create(CultureInfo.InvariantCulture,
                $"[{1.87 + 0.1 * Math.Cos(angle):0.000000},{46.17 + 0.1 * Math.Sin(angle):0.000000}]");
        })) + "]]}";
}
