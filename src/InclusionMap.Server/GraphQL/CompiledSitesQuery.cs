using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using InclusionMap.Core.Places;
using InclusionMap.Data;
using InclusionMap.Server.Sites;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// A GraphQL document that asks for one page of sites around a point, with plain fields, answered without the execution
/// engine: the query of maps, widgets and partner sites (<c>sites(near: …, radiusMeters: …, first: …) { nodes { id nom
/// latitude longitude } }</c>). For such a page graphql-dotnet spends more time than the database: it walks the document
/// to coerce the variables, resolves every field of every site one by one and builds a result tree to serialize. The plan,
/// made once per document text, reads the variables, runs the same <see cref="SiteSearch.PageAsync"/> and writes the JSON.
/// <para>
/// It covers: one query operation, no directives or fragments; one <c>sites</c> field (an alias is fine) with <c>near</c>
/// and <c>first</c>, optionally <c>radiusMeters</c>, as variables or literals; under it <c>nodes</c>, <c>edges</c>
/// (<c>cursor</c>, <c>distanceMeters</c>, <c>node</c>) and <c>pageInfo</c>; on a site the fields of <see cref="Writers"/>.
/// Everything else is the engine's, and so is every request the plan cannot answer exactly as the engine would (a
/// variable of another type, a value the search refuses, a failing database): it then goes to the engine, which gives
/// its usual answer or error. A plan only exists for a document the engine has run without errors, and answers only
/// for page sizes up to the largest the engine accepted for it (the complexity limit grows with <c>first</c>).
/// Tests compare its answers with the engine's, byte for byte.
/// </para>
/// </summary>
public sealed class CompiledSitesQuery
{
    /// <summary>The site fields a plan writes, in the engine's JSON (ids as strings, absent values as null).</summary>
    private static readonly Dictionary<string, Action<Utf8JsonWriter, Site>> Writers = new(StringComparer.Ordinal)
    {
        ["id"] = (w, s) => w.WriteStringValue(s.Id.ToString(CultureInfo.InvariantCulture)),
        ["pivot"] = (w, s) => w.WriteStringValue(s.Pivot),
        ["nom"] = (w, s) => w.WriteStringValue(s.Nom),
        ["communeName"] = (w, s) => w.WriteStringValue(s.CommuneName),
        ["codePostal"] = (w, s) => w.WriteStringValue(s.CodePostal),
        ["codeInsee"] = (w, s) => String(w, s.CodeInsee),
        ["adresse"] = (w, s) => w.WriteStringValue(s.Adresse),
        ["complementAdresse"] = (w, s) => String(w, s.ComplementAdresse),
        ["latitude"] = (w, s) => Number(w, s.Latitude),
        ["longitude"] = (w, s) => Number(w, s.Longitude),
        ["typologie"] = (w, s) => Strings(w, s.Typologie),
        ["telephone"] = (w, s) => String(w, s.Telephone),
        ["courriels"] = (w, s) => Strings(w, s.Courriels),
        ["siteWeb"] = (w, s) => Strings(w, s.SiteWeb),
        ["horaires"] = (w, s) => String(w, s.Horaires),
        ["presentationResume"] = (w, s) => String(w, s.PresentationResume),
        ["presentationDetail"] = (w, s) => String(w, s.PresentationDetail),
        ["source"] = (w, s) => String(w, s.Source),
        ["structureParente"] = (w, s) => String(w, s.StructureParente),
        ["autresFormationsLabels"] = (w, s) => Strings(w, s.AutresFormationsLabels),
        ["ficheAccesLibre"] = (w, s) => String(w, s.FicheAccesLibre),
        ["priseRdv"] = (w, s) => String(w, s.PriseRdv),
        ["departementCode"] = (w, s) => String(w, s.DepartementCode),
    };

    /// <summary>The same escaping as the engine's serializer (French text stays readable).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _key;
    private readonly Argument? _latitude, _longitude; // null when near is one GeoPointInput variable
    private readonly Argument _first;
    private readonly Argument? _radius;
    private readonly string? _nearVariable;
    private readonly List<Item> _selection;
    private readonly HashSet<string> _columns;
    private int _maxFirst;

    private CompiledSitesQuery(string key, Argument? latitude, Argument? longitude, string? nearVariable, Argument first, Argument? radius, List<Item> selection, HashSet<string> columns)
    {
        (_key, _latitude, _longitude, _nearVariable, _first, _radius, _selection, _columns) = (key, latitude, longitude, nearVariable, first, radius, selection, columns);
    }

    /// <summary>A field of the answer: its response key (the alias, or the name), its name, and the fields under it.</summary>
    private sealed record Item(string Key, string Field, List<Item>? Fields = null);

    /// <summary>An argument value: a literal, or a variable.</summary>
    private abstract record Argument
    {
        public sealed record Literal(object Value) : Argument;

        public sealed record Variable(string Name) : Argument;
    }

    /// <summary>The plan of <paramref name="document"/>, or null when the engine must answer it.</summary>
    public static CompiledSitesQuery? TryCompile(GraphQLDocument document, string? operationName)
    {
        if (document.Definitions is not [GraphQLOperationDefinition { Operation: OperationType.Query, Directives: null } operation]) return null;
        if (operationName is not null && operation.Name?.StringValue != operationName) return null;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in operation.Variables?.Items ?? [])
        {
            if (v.DefaultValue is not null || v.Directives is not null) return null;
            variables[v.Variable.Name.StringValue] = TypeName(v.Type);
        }
        if (operation.SelectionSet.Selections is not [GraphQLField { Name.StringValue: "sites", Directives: null, SelectionSet: { } connection } sites]) return null;

        Argument? latitude = null, longitude = null, first = null, radius = null;
        string? nearVariable = null;
        foreach (var argument in sites.Arguments?.Items ?? [])
        {
            switch (argument.Name.StringValue)
            {
                case "near" when argument.Value is GraphQLVariable v && variables.GetValueOrDefault(v.Name.StringValue) == "GeoPointInput!":
                    nearVariable = v.Name.StringValue;
                    break;
                case "near" when argument.Value is GraphQLObjectValue { Fields: [var a, var b] }:
                    foreach (var field in new[] { a, b })
                    {
                        var value = ArgumentOf(field.Value, variables, "Float!");
                        if (field.Name.StringValue == "latitude") latitude = value;
                        else if (field.Name.StringValue == "longitude") longitude = value;
                    }
                    if (latitude is null || longitude is null) return null;
                    break;
                case "first":
                    first = ArgumentOf(argument.Value, variables, "Int!", "Int");
                    if (first is null) return null;
                    break;
                case "radiusMeters" when argument.Value is GraphQLNullValue:
                    break;
                case "radiusMeters":
                    radius = ArgumentOf(argument.Value, variables, "Float!", "Float");
                    if (radius is null) return null;
                    break;
                default:
                    return null;
            }
        }
        if ((nearVariable is null && (latitude is null || longitude is null)) || first is null) return null;

        var selection = new List<Item>();
        var columns = new HashSet<string>(StringComparer.Ordinal);
        if (Plain(connection, "nodes", "edges", "pageInfo") is not { } items) return null;
        foreach (var (key, name, set) in items)
        {
            var fields = name switch
            {
                "nodes" => SiteFields(set, columns)?.ToList<Item?>(),
                "edges" => Plain(set, "cursor", "distanceMeters", "node") is { } edge && edge.Where(e => e.Field != "node").All(e => e.Selection is null)
                    ? edge.Select(e => e.Field == "node" ? SiteFields(e.Selection, columns) is { } node ? new Item(e.Key, e.Field, node) : null : new Item(e.Key, e.Field)).ToList()
                    : null,
                _ => Plain(set, "hasNextPage", "hasPreviousPage", "startCursor", "endCursor") is { } info && info.All(i => i.Selection is null)
                    ? info.Select(i => new Item(i.Key, i.Field)).ToList<Item?>()
                    : null,
            };
            if (fields is null || fields.Contains(null)) return null;
            selection.Add(new Item(key, name, fields.OfType<Item>().ToList()));
        }
        return new CompiledSitesQuery(KeyOf(sites), latitude, longitude, nearVariable, first, radius, selection, columns);
    }

    /// <summary>
    /// Answers <paramref name="request"/> into <paramref name="body"/>; false (nothing written) when the engine must:
    /// variables the plan cannot read exactly as the engine would, a page size above those the engine accepted, a search
    /// the catalogue refuses or a failure (the engine reports them in its own words).
    /// </summary>
    public async Task<bool> TryAnswerAsync(GraphQLRequest request, CatalogueDbContext db, SiteSearchLimits limits, MemoryStream body, CancellationToken ct)
    {
        if (!TryBind(request.Variables, out var filter, out var first) || first > Volatile.Read(ref _maxFirst)) return false;
        SitePage page;
        try
        {
            page = await SiteSearch.PageAsync(db, filter with { IncludeSynthetic = limits.IncludeSynthetic }, first, null, ct, limits, _columns);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false; // the engine runs the search again and reports what failed as a GraphQL error
        }
        await using var json = new Utf8JsonWriter(body, WriterOptions);
        json.WriteStartObject();
        json.WritePropertyName("data");
        json.WriteStartObject();
        json.WritePropertyName(_key);
        json.WriteStartObject();
        foreach (var item in _selection)
        {
            json.WritePropertyName(item.Key);
            switch (item.Field)
            {
                case "nodes":
                    json.WriteStartArray();
                    foreach (var hit in page.Hits) WriteSite(json, hit.Site, item.Fields!);
                    json.WriteEndArray();
                    break;
                case "edges":
                    json.WriteStartArray();
                    foreach (var hit in page.Hits)
                    {
                        json.WriteStartObject();
                        foreach (var edge in item.Fields!)
                        {
                            json.WritePropertyName(edge.Key);
                            if (edge.Field == "cursor") json.WriteStringValue(hit.Cursor);
                            else if (edge.Field == "distanceMeters") Number(json, hit.DistanceMeters);
                            else WriteSite(json, hit.Site, edge.Fields!);
                        }
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    break;
                default:
                    json.WriteStartObject();
                    foreach (var info in item.Fields!)
                    {
                        json.WritePropertyName(info.Key);
                        switch (info.Field)
                        {
                            case "hasNextPage": json.WriteBooleanValue(page.HasNextPage); break;
                            case "hasPreviousPage": json.WriteBooleanValue(page.HasPreviousPage); break;
                            case "startCursor": String(json, page.Hits.FirstOrDefault()?.Cursor); break;
                            default: String(json, page.Hits.LastOrDefault()?.Cursor); break;
                        }
                    }
                    json.WriteEndObject();
                    break;
            }
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        return true;
    }

    /// <summary>After the engine answered this document without errors for these variables: their page size is allowed.</summary>
    public void Accepted(Inputs? variables)
    {
        if (!TryBind(variables, out _, out var first)) return;
        int seen;
        while (first > (seen = Volatile.Read(ref _maxFirst)) && Interlocked.CompareExchange(ref _maxFirst, first, seen) != seen)
        {
        }
    }

    private bool TryBind(Inputs? variables, out SiteFilter filter, out int first)
    {
        filter = null!;
        first = 0;
        double latitude, longitude;
        if (_nearVariable is { } near)
        {
            if (Value(variables, near) is not IReadOnlyDictionary<string, object?> { Count: 2 } point
                || !point.TryGetValue("latitude", out var lat) || !point.TryGetValue("longitude", out var lon)
                || !TryFloat(lat, out latitude) || !TryFloat(lon, out longitude))
                return false;
        }
        else if (!TryFloat(Resolve(_latitude!, variables), out latitude) || !TryFloat(Resolve(_longitude!, variables), out longitude)) return false;
        if (Resolve(_first, variables) is not int size) return false;
        double? radius = null;
        if (_radius is not null)
        {
            var value = Resolve(_radius, variables);
            if (value is not null)
            {
                if (!TryFloat(value, out var r)) return false;
                radius = r;
            }
        }
        filter = new SiteFilter { Near = new GeoPoint(latitude, longitude), RadiusMeters = radius };
        first = size;
        return true;
    }

    private static object? Resolve(Argument argument, Inputs? variables) => argument switch
    {
        Argument.Literal literal => literal.Value,
        Argument.Variable variable => Value(variables, variable.Name),
        _ => null,
    };

    private static object? Value(Inputs? variables, string name) => variables is not null && variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// A Float as the engine reads it from JSON: integers too, and decimals (the JSON reader keeps a number with more
    /// digits than a double holds as a decimal); anything else is the engine's to refuse.
    /// </summary>
    private static bool TryFloat(object? value, out double result)
    {
        (var ok, result) = value switch
        {
            double d => (true, d),
            int i => (true, i),
            long l => (true, (double)l),
            decimal m => (true, (double)m),
            _ => (false, 0d),
        };
        return ok;
    }

    private static Argument? ArgumentOf(GraphQLValue value, Dictionary<string, string> variables, params string[] types) => value switch
    {
        GraphQLVariable v when variables.GetValueOrDefault(v.Name.StringValue) is { } type && types.Contains(type) => new Argument.Variable(v.Name.StringValue),
        GraphQLIntValue i when types[0] == "Int!" && int.TryParse(i.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => new Argument.Literal(n),
        GraphQLIntValue i when types[0] == "Float!" && double.TryParse(i.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => new Argument.Literal(d),
        GraphQLFloatValue f when types[0] == "Float!" && double.TryParse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => new Argument.Literal(d),
        _ => null,
    };

    private static string TypeName(GraphQLType type) => type switch
    {
        GraphQLNonNullType { Type: var inner } => TypeName(inner) + "!",
        GraphQLNamedType named => named.Name.StringValue,
        _ => "[list]",
    };

    private static string KeyOf(GraphQLField field) => (field.Alias?.Name ?? field.Name).StringValue;

    /// <summary>Fields without arguments, directives or fragments, each one of <paramref name="allowed"/>, with their own selections.</summary>
    private static List<(string Key, string Field, GraphQLSelectionSet? Selection)>? Plain(GraphQLSelectionSet? set, params string[] allowed)
    {
        if (set is null) return null;
        var fields = new List<(string, string, GraphQLSelectionSet?)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var selection in set.Selections)
        {
            if (selection is not GraphQLField { Directives: null, Arguments: null } field || !allowed.Contains(field.Name.StringValue) || !keys.Add(KeyOf(field))) return null;
            fields.Add((KeyOf(field), field.Name.StringValue, field.SelectionSet));
        }
        return fields;
    }

    /// <summary>The site fields of a selection, adding the columns they read; null when one is not plain.</summary>
    private static List<Item>? SiteFields(GraphQLSelectionSet? set, HashSet<string> columns)
    {
        if (Plain(set, [.. Writers.Keys]) is not { } fields || fields.Any(f => f.Selection is not null)) return null;
        foreach (var (_, field, _) in fields) columns.UnionWith(SitesField.ColumnsOfField[field]);
        return fields.Select(f => new Item(f.Key, f.Field)).ToList();
    }

    private static void WriteSite(Utf8JsonWriter json, Site site, List<Item> fields)
    {
        json.WriteStartObject();
        foreach (var field in fields)
        {
            json.WritePropertyName(field.Key);
            Writers[field.Field](json, site);
        }
        json.WriteEndObject();
    }

    private static void String(Utf8JsonWriter json, string? value)
    {
        if (value is null) json.WriteNullValue();
        else json.WriteStringValue(value);
    }

    private static void Number(Utf8JsonWriter json, double? value)
    {
        if (value is { } v) json.WriteNumberValue(v);
        else json.WriteNullValue();
    }

    private static void Strings(Utf8JsonWriter json, List<string> values)
    {
        json.WriteStartArray();
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }
}

/// <summary>
/// The plans of the documents seen (null for those the engine answers), keyed by query text and operation name.
/// Bounded like <see cref="ParsedDocumentCache"/>: cleared when it holds more than 2,000 documents.
/// </summary>
public sealed class CompiledSitesQueries
{
    private readonly ConcurrentDictionary<(string Query, string? Operation), CompiledSitesQuery?> _plans = new();

    /// <summary>Requests answered by a plan (for tests and diagnostics).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    private long _answered;

    public CompiledSitesQuery? Find(GraphQLRequest request) =>
        _plans.TryGetValue((request.Query!, request.OperationName), out var plan) ? plan : null;

    public void CountAnswer() => Interlocked.Increment(ref _answered);

    /// <summary>After the engine ran <paramref name="request"/> without errors: makes or widens its plan.</summary>
    public void Learn(GraphQLRequest request, GraphQLDocument document)
    {
        var key = (request.Query!, request.OperationName);
        if (!_plans.TryGetValue(key, out var plan))
        {
            if (_plans.Count >= 2_000) _plans.Clear();
            plan = _plans.GetOrAdd(key, _ => CompiledSitesQuery.TryCompile(document, request.OperationName));
        }
        plan?.Accepted(request.Variables);
    }
}
