using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using InclusionMap.Core.Places;
using InclusionMap.Data.Sites;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// A GraphQL document that asks for one page of sites with plain fields, answered without the execution engine: the
/// queries of maps, widgets and partner sites (<c>sites(near: …, first: …) { nodes { id nom latitude longitude } }</c>,
/// a box, a commune). For such a page graphql-dotnet spends more time than the database: it walks the document to coerce
/// the variables, resolves every field of every site one by one and builds a result tree to serialize. The plan, made
/// once per document text, reads the variables, runs the same <see cref="SiteQuery.PageAsync"/> and writes the JSON.
/// <para>
/// It covers: one query operation, no directives or fragments; one <c>sites</c> field (an alias is fine) with
/// <c>first</c> and any of <c>near</c>, <c>radiusMeters</c>, <c>bbox</c>, <c>communeCode</c>, <c>departementCode</c>, as
/// variables or literals; under it <c>nodes</c>, <c>edges</c> (<c>cursor</c>, <c>distanceMeters</c>, <c>node</c>) and
/// <c>pageInfo</c>; on a site the fields of <see cref="Writers"/>. Everything else is the engine's (other filters,
/// <c>after</c>, <c>totalCount</c>, enumerations, opening hours, communes…), and so is every request the plan cannot
/// answer exactly as the engine would (a variable of another type, a value the search refuses, a failing database): it
/// then goes to the engine, which gives its usual answer or error. A plan only exists for a document the engine has run
/// without errors, and answers only for page sizes up to the largest the engine accepted for it (the complexity limit
/// grows with <c>first</c>). Tests compare its answers with the engine's, byte for byte.
/// </para>
/// </summary>
public sealed class CompiledSitesQuery
{
    /// <summary>
    /// The site fields a plan writes, in the engine's JSON (ids as strings, absent values as null): every registry
    /// field of a plain kind (text, number, list of text without a vocabulary). The engine answers the others.
    /// </summary>
    private static readonly Dictionary<string, (SiteField Field, Action<Utf8JsonWriter, object?> Write)> Writers = SiteFields.All
        .Select(f => (Field: f, Write: WriterOf(f)))
        .Where(w => w.Write is not null)
        .ToDictionary(w => w.Field.GraphQLName, w => (w.Field, w.Write!), StringComparer.Ordinal);

    private static Action<Utf8JsonWriter, object?>? WriterOf(SiteField field) => field.Kind switch
    {
        SiteFieldKind.Id => (w, v) => w.WriteStringValue(((long)v!).ToString(CultureInfo.InvariantCulture)),
        SiteFieldKind.Text => (w, v) => String(w, (string?)v),
        SiteFieldKind.Number => (w, v) => Number(w, (double?)v),
        SiteFieldKind.TextList when field.Vocabulary is null => (w, v) => Strings(w, (List<string>)v!),
        _ => null,
    };

    /// <summary>The same escaping as the engine's serializer (French text stays readable).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _key;
    private readonly Dictionary<string, Argument> _arguments;
    private readonly List<Item> _selection;
    private readonly HashSet<SiteField> _fields;
    private int _maxFirst;

    private CompiledSitesQuery(string key, Dictionary<string, Argument> arguments, List<Item> selection, HashSet<SiteField> fields)
    {
        (_key, _arguments, _selection, _fields) = (key, arguments, selection, fields);
    }

    /// <summary>A field of the answer: its response key (the alias, or the name), its name, and the fields under it.</summary>
    private sealed record Item(string Key, string Field, List<Item>? Fields = null);

    /// <summary>An argument value: a literal, a variable, or an input object of those.</summary>
    private abstract record Argument
    {
        public sealed record Literal(object Value) : Argument;

        public sealed record Variable(string Name) : Argument;

        public sealed record InputObject(Dictionary<string, Argument> Fields) : Argument;
    }

    /// <summary>
    /// The arguments a plan reads: the input objects with their float fields, and the scalars with the variable types they accept.
    /// </summary>
    private static readonly Dictionary<string, (string Type, string[]? Fields)> Arguments = new(StringComparer.Ordinal)
    {
        ["near"] = ("GeoPointInput", ["latitude", "longitude"]),
        ["bbox"] = ("BBoxInput", ["west", "south", "east", "north"]),
        ["radiusMeters"] = ("Float", null),
        ["communeCode"] = ("String", null),
        ["departementCode"] = ("String", null),
        ["first"] = ("Int", null),
    };

    /// <summary>The plan of <paramref name="document"/>, or null when the engine must answer it.</summary>
    public static CompiledSitesQuery? TryCompile(GraphQLDocument document, string? operationName)
    {
        if (document.Definitions is not [GraphQLOperationDefinition { Operation: OperationType.Query, Directives: null } operation])
            return null;
        if (operationName is not null && operation.Name?.StringValue != operationName) return null;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in operation.Variables?.Items ?? [])
        {
            if (v.DefaultValue is not null || v.Directives is not null) return null;
            variables[v.Variable.Name.StringValue] = TypeName(v.Type);
        }
        if (operation.SelectionSet.Selections
            is not [GraphQLField { Name.StringValue: "sites", Directives: null, SelectionSet: { } connection } sites])
        {
            return null;
        }

        var arguments = new Dictionary<string, Argument>(StringComparer.Ordinal);
        foreach (var argument in sites.Arguments?.Items ?? [])
        {
            if (!Arguments.TryGetValue(argument.Name.StringValue, out var expected)) return null;
            if (argument.Value is GraphQLNullValue) continue; // the same as leaving it out
            var value = expected.Fields is { } fields
                ? argument.Value switch
                {
                    GraphQLVariable v when variables.GetValueOrDefault(v.Name.StringValue) is { } type
                        && type.TrimEnd('!') == expected.Type => new Argument.Variable(v.Name.StringValue),
                    GraphQLObjectValue o when o.Fields is { } given && given.Count == fields.Length
                        && given.Select(f => f.Name.StringValue).Order().SequenceEqual(fields.Order()) =>
                        given.Select(f => (f.Name.StringValue, Value: ArgumentOf(f.Value, variables, "Float"))).ToList() is var bound
                        && bound.All(b => b.Value is not null)
                            ? new Argument.InputObject(bound.ToDictionary(b => b.StringValue, b => b.Value!))
                            : null,
                    _ => null,
                }
                : ArgumentOf(argument.Value, variables, expected.Type);
            if (value is null) return null;
            arguments[argument.Name.StringValue] = value;
        }
        if (!arguments.ContainsKey("first")) return null;

        var selection = new List<Item>();
        var read = new HashSet<SiteField>();
        if (Plain(connection, "nodes", "edges", "pageInfo") is not { } items) return null;
        foreach (var (key, name, set) in items)
        {
            var fields = name switch
            {
                "nodes" => SiteFieldsOf(set, read)?.ToList<Item?>(),
                "edges" => Plain(set, "cursor", "distanceMeters", "node") is { } edge
                    && edge.Where(e => e.Field != "node").All(e => e.Selection is null)
                    ? edge.Select(e => e.Field == "node"
                        ? SiteFieldsOf(e.Selection, read) is { } node ? new Item(e.Key, e.Field, node) : null
                        : new Item(e.Key, e.Field)).ToList()
                    : null,
                _ => Plain(set, "hasNextPage", "hasPreviousPage", "startCursor", "endCursor") is { } info
                    && info.All(i => i.Selection is null)
                    ? info.Select(i => new Item(i.Key, i.Field)).ToList<Item?>()
                    : null,
            };
            if (fields is null || fields.Contains(null)) return null;
            selection.Add(new Item(key, name, fields.OfType<Item>().ToList()));
        }
        return new CompiledSitesQuery(KeyOf(sites), arguments, selection, read);
    }

    /// <summary>
    /// Answers <paramref name="request"/> into <paramref name="body"/>; false (nothing written) when the engine must:
    /// variables the plan cannot read exactly as the engine would, a page size above those the engine accepted, a search
    /// the catalogue refuses or a failure (the engine reports them in its own words).
    /// </summary>
    public async Task<bool> TryAnswerAsync(GraphQLRequest request, SiteQuery sites, MemoryStream body, CancellationToken ct)
    {
        if (!TryBind(request.Variables, out var filter, out var first) || first > Volatile.Read(ref _maxFirst)) return false;
        SitePage page;
        try
        {
            page = await sites.PageAsync(filter, first, null, _fields, ct);
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
        object? Bound(string name) => _arguments.TryGetValue(name, out var argument) ? Resolve(argument, variables) : null;
        if (Bound("first") is not int size) return false;
        if (!TryFloats(Bound("near"), Arguments["near"].Fields!, out var near)
            || !TryFloats(Bound("bbox"), Arguments["bbox"].Fields!, out var bbox))
        {
            return false;
        }
        double? radius = null;
        if (Bound("radiusMeters") is { } r)
        {
            if (!TryFloat(r, out var meters)) return false;
            radius = meters;
        }
        var (commune, departement) = (Bound("communeCode"), Bound("departementCode"));
        if (commune is not (null or string) || departement is not (null or string)) return false;
        filter = new SiteFilter
        {
            Near = near is null ? null : new GeoPoint(near[0], near[1]),
            RadiusMeters = radius,
            BoundingBox = bbox is null ? null : new BoundingBox(bbox[0], bbox[1], bbox[2], bbox[3]),
            CommuneCode = (string?)commune,
            DepartementCode = (string?)departement,
        };
        first = size;
        return true;
    }

    /// <summary>An input object's float fields, in <paramref name="names"/> order; true with null when it is absent.</summary>
    private static bool TryFloats(object? value, string[] names, out double[]? floats)
    {
        floats = null;
        if (value is null) return true;
        if (value is not IReadOnlyDictionary<string, object?> fields || fields.Count != names.Length) return false;
        floats = new double[names.Length];
        for (var i = 0; i < names.Length; i++)
            if (!fields.TryGetValue(names[i], out var field) || !TryFloat(field, out floats[i])) return false;
        return true;
    }

    private static object? Resolve(Argument argument, Inputs? variables) => argument switch
    {
        Argument.Literal literal => literal.Value,
        Argument.Variable variable => Value(variables, variable.Name),
        Argument.InputObject input => input.Fields.ToDictionary(f => f.Key, f => Resolve(f.Value, variables)),
        _ => null,
    };

    private static object? Value(Inputs? variables, string name) =>
        variables is not null && variables.TryGetValue(name, out var value) ? value : null;

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

    /// <summary>A scalar argument: a literal of <paramref name="type"/> (an integer is a Float too), or a variable of that type.</summary>
    private static Argument? ArgumentOf(GraphQLValue value, Dictionary<string, string> variables, string type) => value switch
    {
        GraphQLVariable v when variables.GetValueOrDefault(v.Name.StringValue) is { } declared && declared.TrimEnd('!') == type =>
            new Argument.Variable(v.Name.StringValue),
        GraphQLIntValue i when type == "Int"
            && int.TryParse(i.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) =>
            new Argument.Literal(n),
        GraphQLIntValue i when type == "Float"
            && double.TryParse(i.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => new Argument.Literal(d),
        GraphQLFloatValue f when type == "Float"
            && double.TryParse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => new Argument.Literal(d),
        GraphQLStringValue t when type == "String" => new Argument.Literal(t.Value.ToString()),
        _ => null,
    };

    private static string TypeName(GraphQLType type) => type switch
    {
        GraphQLNonNullType { Type: var inner } => TypeName(inner) + "!",
        GraphQLNamedType named => named.Name.StringValue,
        _ => "[list]",
    };

    private static string KeyOf(GraphQLField field) => (field.Alias?.Name ?? field.Name).StringValue;

    /// <summary>
    /// Fields without arguments, directives or fragments, each one of <paramref name="allowed"/>, with their own selections.
    /// </summary>
    private static List<(string Key, string Field, GraphQLSelectionSet? Selection)>? Plain(
        GraphQLSelectionSet? set, params string[] allowed)
    {
        if (set is null) return null;
        var fields = new List<(string, string, GraphQLSelectionSet?)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var selection in set.Selections)
        {
            if (selection is not GraphQLField { Directives: null, Arguments: null } field
                || !allowed.Contains(field.Name.StringValue) || !keys.Add(KeyOf(field)))
            {
                return null;
            }
            fields.Add((KeyOf(field), field.Name.StringValue, field.SelectionSet));
        }
        return fields;
    }

    /// <summary>The site fields of a selection, adding the registry fields they read; null when one is not plain.</summary>
    private static List<Item>? SiteFieldsOf(GraphQLSelectionSet? set, HashSet<SiteField> read)
    {
        if (Plain(set, [.. Writers.Keys]) is not { } fields || fields.Any(f => f.Selection is not null)) return null;
        foreach (var (_, field, _) in fields) read.Add(Writers[field].Field);
        return fields.Select(f => new Item(f.Key, f.Field)).ToList();
    }

    private static void WriteSite(Utf8JsonWriter json, Site site, List<Item> fields)
    {
        json.WriteStartObject();
        foreach (var field in fields)
        {
            json.WritePropertyName(field.Key);
            var (siteField, write) = Writers[field.Field];
            write(json, siteField.Get(site));
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
