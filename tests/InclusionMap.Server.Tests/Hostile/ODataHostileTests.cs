using System.Globalization;
using static InclusionMap.Server.Tests.Hostile.HostileRequest;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>
/// Malformed and hostile OData requests beyond <c>OData/BadInputTests</c>: broken encodings, NUL bytes, huge and
/// non-finite numbers, deep nesting, invalid geometries, path traversal, methods and headers.
/// </summary>
[Collection(HostileServerCollection.Name)]
public sealed class ODataHostileTests(HostileServer server)
{
    private const string Near = "geography'SRID=4326;POINT(1.87%2046.17)'";
    private const string Intersects = "/odata/Sites?$filter=geo.intersects(Location,geography'SRID=4326;";

    private static readonly HostileRequest[] Corpus =
    [
        // Encodings and NUL bytes.
        Get("filter literal of an invalid UTF-8 byte", "/odata/Sites?$filter=Nom%20eq%20'%FF'", Answer.Served),
        Get("filter literal of an overlong '/'", "/odata/Sites?$filter=Nom%20eq%20'%C0%AF'", Answer.Served),
        Get("filter of percent garbage", "/odata/Sites?$filter=%ZZ"),
        Get("filter of a lone %", "/odata/Sites?$filter=Nom%20eq%20'%'", Answer.Served),
        Get("filter literal with a NUL", "/odata/Sites?$filter=Nom%20eq%20'a%00b'"),
        Get("filter function argument with a NUL", "/odata/Sites?$filter=contains(Nom,'%00')"),
        Get("select with a NUL", "/odata/Sites?$select=Id%00"),
        Get("top of a NUL", "/odata/Sites?$top=%00"),
        Get("orderby with a NUL", "/odata/Sites?$orderby=Nom%00"),
        Get("search with a NUL", "/odata/Sites?$search=%22ab%00cd%22"),
        Get("an entity set with a NUL", "/odata/Sites%00", Answer.RefusedByHttpServer),
        Get("a key with a NUL", "/odata/Sites(%00)", Answer.RefusedByHttpServer),
        Get("a string key with a NUL", "/odata/Communes('23%00')", Answer.RefusedByHttpServer),
        Get("an entity set of FF", "/odata/%FF"),
        Get("a key of an overlong '/'", "/odata/Communes('%C0%AF')", Answer.Refused),
        Get("a key of percent garbage", "/odata/Communes('%ZZ')"),

        // Numbers: huge, non-finite, negative zero.
        Get("filter Latitude gt 1e308", "/odata/Sites?$filter=Latitude%20gt%201e308&$top=1", Answer.Served),
        Get("filter Latitude gt 1e309", "/odata/Sites?$filter=Latitude%20gt%201e309&$top=1", Answer.Served),
        Get("filter Latitude eq -0", "/odata/Sites?$filter=Latitude%20eq%20-0&$top=1", Answer.Served),
        Get("filter Latitude eq NaN", "/odata/Sites?$filter=Latitude%20eq%20NaN&$top=1", Answer.Served),
        Get("filter Latitude lt INF", "/odata/Sites?$filter=Latitude%20lt%20INF&$top=1", Answer.Served),
        Get("filter Latitude eq 'NaN' (a string)", "/odata/Sites?$filter=Latitude%20eq%20'NaN'"),
        Get("filter Id eq 1e308", "/odata/Sites?$filter=Id%20eq%201e308", Answer.Served),
        Get("filter Id beyond a long", "/odata/Sites?$filter=Id%20eq%2099999999999999999999", Answer.Served),
        Get("filter Latitude add 1e308 overflowing", "/odata/Sites?$filter=Latitude%20mul%201e308%20mul%201e308%20gt%200&$top=1"),
        Get("filter date of year 99999", "/odata/Sites?$filter=DateMaj%20gt%2099999-01-01"),
        Get("top 1e308", "/odata/Sites?$top=1e308"),
        Get("top 2147483648", "/odata/Sites?$top=2147483648"),
        Get("skip 1e308", "/odata/Sites?$skip=1e308"),
        Get("skip -0", "/odata/Sites?$skip=-0&$top=1", Answer.Served),
        Get("top given twice", "/odata/Sites?$top=1&$top=2"),
        Get("count given twice", "/odata/Sites?$count=true&$count=false"),
        Get("key beyond a long", "/odata/Sites(99999999999999999999)"),
        Get("key of 1e308", "/odata/Sites(1e308)"),
        Get("key -0", "/odata/Sites(-0)"),

        // Long values and deep nesting.
        Get("filter on a 5,000-character literal", "/odata/Sites?$filter=Nom%20eq%20'" + new string('a', 5000) + "'&$top=1", Answer.Served),
        Get("search of 5,000 characters", "/odata/Sites?$search=%22" + new string('a', 5000) + "%22"),
        Get("a 9 KB request line", "/odata/Sites?$filter=Nom%20eq%20'" + new string('a', 9000) + "'", Answer.RefusedByHttpServer),
        Get("filter in 200 nested parentheses", "/odata/Sites?$filter=" + new string('(', 200) + "Id%20eq%201" + new string(')', 200)),
        Get("filter in 2,000 nested parentheses", "/odata/Sites?$filter=" + new string('(', 2000) + "Id%20eq%201" + new string(')', 2000)),
        Get("filter of 300 nested nots", "/odata/Sites?$filter=" + string.Concat(Enumerable.Repeat("not%20", 300)) + "(Id%20eq%201)"),
        Get("filter of 60 ands", "/odata/Sites?$filter=" + string.Join("%20and%20", Enumerable.Repeat("contains(Nom,'a')", 60))),
        Get("filter of 100 nested adds", "/odata/Sites?$filter=" + string.Concat(Enumerable.Repeat("(Latitude%20add%20", 100)) + "1"
            + new string(')', 100) + "%20gt%200"),
        Get("filter through navigations",
            "/odata/Sites?$filter=Commune/Departement/Region/Departements/any(d:%20d/Communes/any(c:%20c/Sites/any()))"),
        Get("orderby of 200 keys", "/odata/Sites?$orderby=" + string.Join(",", Enumerable.Repeat("Id", 200))),
        Get("select of 1,000 properties", "/odata/Sites?$top=1&$select=" + string.Join(",", Enumerable.Repeat("Id", 1000)), Answer.Served),
        Get("expand 20 levels deep", "/odata/Sites?$expand="
            + string.Concat(Enumerable.Repeat("Commune($expand=Departement($expand=Communes($top=1;$expand=Sites($top=1;$expand=", 4))
            + "Commune" + new string(')', 16)),
        Get("expand of everything on départements", "/odata/Departements?$expand=*"),
        Get("apply of nested groupbys", "/odata/Sites?$apply=" + string.Concat(Enumerable.Repeat("groupby((Nom),", 50))
            + "aggregate($count%20as%20N)" + new string(')', 50)),
        Get("compute of 100 nested adds", "/odata/Sites?$compute=" + string.Concat(Enumerable.Repeat("(Latitude%20add%20", 100)) + "1"
            + new string(')', 100) + "%20as%20X"),
        Get("apply that is valid", "/odata/Sites?$apply=aggregate(Latitude%20with%20average%20as%20A)", Answer.Served),

        // Geometries.
        Get("intersects an unclosed ring", Intersects + "POLYGON((1%2046,2%2046,2%2047,1%2047))')"),
        Get("intersects a ring of two points", Intersects + "POLYGON((1%2046,1%2046))')"),
        Get("intersects an empty polygon", Intersects + "POLYGON%20EMPTY')"),
        Get("intersects absurd coordinates", Intersects + "POLYGON((1000%202000,1001%202000,1001%202001,1000%202000))')"),
        Get("intersects NaN coordinates", Intersects + "POLYGON((NaN%20NaN,1%201,2%202,NaN%20NaN))')"),
        Get("intersects a self-intersecting multipolygon", Intersects + "MULTIPOLYGON(((1%2046,2%2047,2%2046,1%2047,1%2046)))')"),
        Get("intersects a geometry collection", Intersects + "GEOMETRYCOLLECTION(POINT(1%2046))')"),
        Get("intersects a valid 300-vertex polygon",
            "/odata/Sites?$top=1&$filter=geo.intersects(Location,geography'SRID=4326;" + Ring(300) + "')", Answer.Served),
        Get("an SRID that is not a number", "/odata/Sites?$filter=geo.distance(Location,geography'SRID=abc;POINT(1%2046)')%20le%2010"),
        Get("distance from a point at 1e308",
            "/odata/Sites?$filter=geo.distance(Location,geography'SRID=4326;POINT(1e308%201e308)')%20le%2010"),
        Get("distance from -0 -0", "/odata/Sites?$top=1&$filter=geo.distance(Location,geography'SRID=4326;POINT(-0%20-0)')%20le%2010",
            Answer.Served),
        Get("distance within 1e308 metres", "/odata/Sites?$filter=geo.distance(Location," + Near + ")%20le%201e308"),
        Get("distance within -1 metre", "/odata/Sites?$filter=geo.distance(Location," + Near + ")%20le%20-1"),
        Get("distance within NaN metres", "/odata/Sites?$filter=geo.distance(Location," + Near + ")%20le%20NaN"),
        Get("order by distance from an absurd point", "/odata/Sites?$orderby=geo.distance(Location,geography'SRID=4326;POINT(200%20100)')"),
        Get("nearest page from an absurd point",
            "/odata/Sites?$select=Id&$top=5&$orderby=geo.distance(Location,geography'SRID=4326;POINT(999.5%2099.5)')"),

        // Malformed $filter: syntax, operands, functions, lambdas, aliases, literals (beside OData/BadInputTests).
        .. new[]
            {
                "Nom%20eq", "eq%20'x'", "Nom%20eq%20'x'%20or", "Nom%20eq%20'x'%20xor%20Id%20eq%201", "Nom%20eqq%20'x'", "Nom%20eq%20'x''",
                "contains(Nom)", "contains(Nom,'a','b')", "nope(Nom)", "Id%20eq%201%20and%20(Nom%20eq%20'x'", "Id%20in%20(1,2",
                "Id%20in%20(1,2,'x')", "Services/any(s:%20t%20eq%20'x')", "Services/any(s:%20s%20eq%20'x'",
                "Services/all()", "Id%20eq%20@p&@p=@p", "DateMaj%20eq%202024-02-30",
                "DateMaj%20gt%202024-01-01T25:00:00Z", "Latitude%20gt%201e", "Latitude%20gt%20--1", "Latitude%20gt%200x10",
                "Nom%20eq%20'x'%20and%20", "not", "()", "Nom%20eq%20%22x%22",
            }
            .Select(f => Get($"malformed $filter '{f}'", "/odata/Sites?$filter=" + f)),
        // Odd but valid: answered, matching nothing.
        .. new[] { "Nom%20eq%20null%20eq%20null", "@p%20eq%201", "Id%20in%20()", "Nom%20eq%20'%E9'", "Latitude%20gt%209e999" }
            .Select(f => Get($"odd but valid $filter '{f}'", "/odata/Sites?$top=1&$filter=" + f, Answer.Served)),

        // Malformed $orderby.
        .. new[]
            {
                "Nom%20asc%20desc", "Nom,", ",Nom", "Nom%20asc,", "Nom%20sideways%20asc", "geo.distance(Location)",
                "geo.distance(Location,geography'SRID=4326;POINT(1%2046)',3)", "length(", "Id%20add", "Commune/Nope", "Commune",
                "geo.distance(Location,geography'SRID=4326;POINT(NaN%2046)')",
                "geo.distance(Location,geography'SRID=4326;POINT(1e308%201e308)')",
                "geo.distance(Location,geography'SRID=4326;LINESTRING(1%2046,2%2047)')", "geo.distance(Location,'x')", "Nom%00",
                "%FF", "Nom%20asc&$orderby=Id",
            }
            .Select(o => Get($"malformed $orderby '{o}'", "/odata/Sites?$orderby=" + o)),

        // Addresses: traversal and what the service does not serve.
        Get("dot segments out of /odata", "/odata/../../etc/passwd"),
        Get("encoded dot segments", "/odata/%2e%2e/%2e%2e/etc/passwd"),
        Get("encoded slashes", "/odata/..%2f..%2fetc%2fpasswd"),
        Get("a key holding a traversal", "/odata/Communes('..%2F..%2Fetc%2Fpasswd')"),
        Get("metadata then a dot segment", "/odata/$metadata/../Sites?$top=1", Answer.Served),
        Get("$value of a property", "/odata/Sites(1)/Nom/$value"),
        Get("$ref of a set", "/odata/Sites/$ref"),
        Get("$batch by GET", "/odata/$batch"),
        Post("$batch by POST", "/odata/$batch", "multipart/mixed; boundary=x",
            "--x\r\nContent-Type: application/http\r\n\r\nGET Sites HTTP/1.1\r\n\r\n--x--"),
        Get("$entity", "/odata/$entity?$id=Sites(1)"),
        Get("$crossjoin", "/odata/$crossjoin(Sites,Communes)"),
        Get("$all", "/odata/$all"),
        Get("a function that does not exist", "/odata/Sites/Default.Nope()"),

        // Methods.
        Post("POST a site", "/odata/Sites", "application/json", """{"Nom":"x"}"""),
        Method("DELETE a site", "DELETE", "/odata/Sites(1)"),
        Method("PATCH a site", "PATCH", "/odata/Sites(1)"),
        Method("PUT a commune", "PUT", "/odata/Communes('23096')"),

        // Headers and formats.
        Get("Accept application/xml", "/odata/Sites?$top=1", Answer.Served, "Accept: application/xml"),
        Get("Accept full metadata", "/odata/Sites?$top=1", Answer.Served, "Accept: application/json;odata.metadata=full"),
        Get("Accept an unknown metadata level", "/odata/Sites?$top=1", Answer.Served, "Accept: application/json;odata.metadata=bogus"),
        Get("$format=xml", "/odata/Sites?$top=1&$format=xml", Answer.Served),
        Get("$format holding a traversal", "/odata/Sites?$top=1&$format=..%2F..%2Fetc%2Fpasswd", Answer.Served),
        Get("Prefer a negative page size", "/odata/Sites?$top=1", Answer.Served, "Prefer: odata.maxpagesize=-1"),
        Get("Prefer a page size of 1e308", "/odata/Sites?$top=1", Answer.Served, "Prefer: odata.maxpagesize=1e308"),
        Get("OData-MaxVersion 3.0", "/odata/Sites?$top=1", Answer.Served, "OData-MaxVersion: 3.0"),
        Get("OData-Version abc", "/odata/Sites?$top=1", Answer.Served, "OData-Version: abc"),
        Get("OData-MaxVersion of 5,000 characters", "/odata/Sites?$top=1", Answer.Served, "OData-MaxVersion: " + new string('9', 5000)),
    ];

    public static TheoryData<string> Names => [.. Corpus.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public Task Answers_with_a_clear_4xx_and_nothing_internal(string name) =>
        server.AssertAnsweredAsync(Corpus.Single(c => c.Name == name));

    /// <summary>A closed WKT polygon of <paramref name="vertices"/> points around Guéret, percent-encoded spaces.</summary>
    private static string Ring(int vertices) =>
        "POLYGON((" + string.Join(",", Enumerable.Range(0, vertices).Append(0).Select(i =>
        {
            var angle = 2 * Math.PI * i / vertices;
            return string.Create(CultureInfo.InvariantCulture,
                $"{1.87 + 0.1 * Math.Cos(angle):0.0000}%20{46.17 + 0.1 * Math.Sin(angle):0.0000}");
        })) + "))";
}
