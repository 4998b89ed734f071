using static InclusionMap.Server.Tests.Hostile.HostileRequest;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>Pages, static files and health with traversal and odd addresses; header and framing abuse on every API.</summary>
[Collection(HostileServerCollection.Name)]
public sealed class PagesAndHeadersHostileTests(HostileServer server)
{
    private const string Line = " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";

    private static readonly HostileRequest[] Corpus =
    [
        // Traversal out of the static files, files that must never be served.
        Get("encoded traversal from the root", "/..%2F..%2Fetc%2Fpasswd"),
        Get("encoded dot segments from the root", "/%2e%2e/%2e%2e/etc/passwd"),
        Get("traversal from /app", "/app/..%2F..%2Fappsettings.json"),
        Get("dot segments from /app", "/app/%2e%2e/%2e%2e/appsettings.json"),
        Get("overlong dots from /app", "/app/%C0%AE%C0%AE/%C0%AE%C0%AE/appsettings.json"),
        Get("backslashes from /vendor", "/vendor/..%5C..%5Cappsettings.json"),
        Get("double-encoded traversal", "/app/%252e%252e/%252e%252e/appsettings.json"),
        Get("the settings file", "/appsettings.json"),
        Get("the server's assembly", "/inclusionmap.dll"),
        Get("the server's assembly by name", "/InclusionMap.Server.dll"),
        Get("the dependency manifest", "/inclusionmap.deps.json"),
        Get("web.config", "/web.config"),
        Get("a git directory", "/.git/config"),
        Get("an environment file", "/.env"),
        Get("the static root itself", "/wwwroot/index.html"),
        Get("a page with a NUL before an extension", "/index.html%00.js", Answer.RefusedByHttpServer),
        Get("a page with an encoded percent", "/index.html%2500"),
        Get("a script with a trailing space", "/app/main.js%20"),
        Get("a path of FF", "/%FF"),
        Get("a path of a NUL", "/%00", Answer.RefusedByHttpServer),
        Get("a path of 7,000 characters", "/" + new string('a', 7000)),
        Get("a page out of /couverture", "/couverture/../../etc/passwd"),
        Get("a page under /couverture", "/couverture/x"),

        // Pages with hostile query strings: static pages, nothing reflected.
        Get("coordinators' page with a NUL", "/couverture?x=%00", Answer.Served),
        Get("widget page with a script", "/embed?commune=%3Cscript%3Ealert(1)%3C/script%3E", Answer.Served),
        Get("widget page with FF FE", "/embed?commune=%FF%FE", Answer.Served),
        Get("widget page with 7,000 characters", "/embed?commune=" + new string('9', 7000), Answer.Served),
        Get("home with percent garbage", "/?q=%ZZ%", Answer.Served),
        Method("TRACE the home page", "TRACE", "/"),
        Method("PUT the home page", "PUT", "/"),
        Method("DELETE the coordinators' page", "DELETE", "/couverture"),
        Method("POST the widget page", "POST", "/embed"),
        Method("HEAD the home page", "HEAD", "/", Answer.Served),

        // Health.
        Get("health with a NUL", "/health?x=%00", Answer.Served),
        Get("health below itself", "/health/%2e%2e/%2e%2e/etc/passwd"),
        Get("health then a path", "/health/details"),

        // Headers over Kestrel's limits or unreadable: Kestrel refuses them before the application.
        Get("a 40 KB header", "/", Answer.RefusedByHttpServer, "X-Big: " + new string('a', 40_000)),
        Get("150 headers", "/", Answer.RefusedByHttpServer, [.. Enumerable.Range(0, 150).Select(i => $"X-H{i}: {i}")]),
        Raw("a header value with a NUL", "GET /" + Line + "X-Bad: a\0b\r\n\r\n", Answer.RefusedByHttpServer),
        Raw("a header name with a space", "GET /" + Line + "X Bad: a\r\n\r\n", Answer.RefusedByHttpServer),
        Raw("a header value in raw UTF-8", Bytes("GET /" + Line + "X-Name: ", 0xC3, 0xA9, 0xFF, "\r\n\r\n"), Answer.RefusedByHttpServer),
        Raw("a Content-Length that is not a number",
            "POST /graphql" + Line + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}", Answer.RefusedByHttpServer),
        Raw("a negative Content-Length", "POST /graphql" + Line + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}",
            Answer.RefusedByHttpServer),
        Raw("two different Content-Lengths", "POST /graphql" + Line
            + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", Answer.RefusedByHttpServer),
        Raw("Content-Length and chunked together", "POST /graphql" + Line
            + "Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            Answer.RefusedByHttpServer),
        Raw("no Host header", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", Answer.RefusedByHttpServer),
        Raw("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", Answer.RefusedByHttpServer),
        Raw("a Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n", Answer.RefusedByHttpServer),
        Raw("a target without a leading slash", "GET odata/Sites" + Line + "\r\n", Answer.RefusedByHttpServer),
        Raw("a target with a raw FF byte", Bytes("GET /", 0xFF, Line + "\r\n"), Answer.RefusedByHttpServer),
        Raw("a target with a raw NUL byte", Bytes("GET /a", 0x00, "b" + Line + "\r\n"), Answer.RefusedByHttpServer),
        Raw("a target with a space", "GET /a b" + Line + "\r\n", Answer.RefusedByHttpServer),
        Raw("a method of symbols", "G@T /" + Line + "\r\n", Answer.RefusedByHttpServer),
        Raw("a request line ending in a bare LF", "GET / HTTP/1.1\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", Answer.Served),
        Raw("an absolute-form target", "GET http://elsewhere.example/health" + Line + "\r\n", Answer.RefusedByHttpServer),
        Raw("HTTP/1.0 without a Host", "GET /health HTTP/1.0\r\n\r\n", Answer.Served),

        // Headers the application reads: odd values are ignored or refused with a reason.
        Get("Accept with a q that is not a number", "/odata/Sites?$top=1", Answer.Served, "Accept: application/json;q=abc"),
        Get("Accept of 7,000 characters", "/odata/Sites?$top=1", Answer.Served,
            "Accept: " + string.Join(",", Enumerable.Repeat("*/*", 1700))),
        Get("Accept-Encoding with a NaN weight", "/health", Answer.Served, "Accept-Encoding: gzip;q=NaN"),
        Get("Accept-Encoding of an unknown coding", "/", Answer.Served, "Accept-Encoding: x-bomb"),
        Get("a Range beyond the file", "/widget.js", Answer.Refused, "Range: bytes=999999999-"),
        Get("a Range that is garbage", "/widget.js", Answer.Served, "Range: bytes=z-y"),
        Get("If-Modified-Since that is garbage", "/widget.js", Answer.Served, "If-Modified-Since: yesterday"),
        Get("X-Forwarded-For that is garbage", "/health", Answer.Served, "X-Forwarded-For: not-an-address, %00, ::::"),
        Get("X-Forwarded-Proto javascript", "/health", Answer.Served, "X-Forwarded-Proto: javascript"),
        Get("X-Forwarded-Host elsewhere", "/odata/Sites?$top=1", Answer.Served, "X-Forwarded-Host: evil.example"),
        Get("a Cookie of 8 KB", "/health", Answer.Served, "Cookie: a=" + new string('b', 8000)),
        Get("Expect 100-continue without a body", "/health", Answer.Served, "Expect: 100-continue"),
        Get("an Origin of null", "/graphql?query=%7B%20departements%20%7B%20code%20%7D%20%7D", Answer.Served, "Origin: null"),
        Method("OPTIONS preflight from anywhere", "OPTIONS", "/graphql", Answer.Refused, "Origin: https://evil.example",
            "Access-Control-Request-Method: DELETE"),
        Get("If-None-Match of 1,000 tags", "/tiles/sites/0/0/0.mvt", Answer.Served,
            "If-None-Match: " + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"{i}\""))),
    ];

    public static TheoryData<string> Names => [.. Corpus.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public Task Answers_with_a_clear_4xx_and_nothing_internal(string name) =>
        server.AssertAnsweredAsync(Corpus.Single(c => c.Name == name));
}
