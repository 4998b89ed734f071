using System.Globalization;

namespace InclusionMap.Core.Schema;

/// <summary>
/// One row of the national schema v1.0.2 in its interchange form: every field as text, multi-values joined with '|'.
/// Importers map every source format to this record; exporters write it back. Null means "absent".
/// </summary>
public sealed class SchemaV1Record
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public string? this[string field]
    {
        get => _values.GetValueOrDefault(field);
        set
        {
            if (!SchemaV1.FieldsByName.ContainsKey(field))
                throw new ArgumentException($"'{field}' is not a field of schema {SchemaV1.Version}.", nameof(field));
            _values[field] = string.IsNullOrWhiteSpace(value) ? null : value;
        }
    }

    public IEnumerable<KeyValuePair<string, string?>> Values =>
        SchemaV1.Fields.Select(f => new KeyValuePair<string, string?>(f.Name, this[f.Name]));

    public string? Id { get => this["id"]; set => this["id"] = value; }
    public string? Nom { get => this["nom"]; set => this["nom"] = value; }

    public void SetMany(string field, IEnumerable<string> values)
    {
        var distinct = values.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal).ToList();
        this[field] = distinct.Count == 0 ? null : string.Join(SchemaV1.Separator, distinct);
    }

    public IReadOnlyList<string> GetMany(string field) =>
        this[field]?.Split(SchemaV1.Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public void SetNumber(string field, double? value) =>
        this[field] = value?.ToString("R", CultureInfo.InvariantCulture);

    public double? GetNumber(string field) =>
        double.TryParse(this[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public SchemaV1Record Clone()
    {
        var copy = new SchemaV1Record();
        foreach (var (k, v) in _values) copy._values[k] = v;
        return copy;
    }

    public Dictionary<string, string?> ToDictionary() => SchemaV1.Fields.ToDictionary(f => f.Name, f => this[f.Name]);

    public static SchemaV1Record FromDictionary(IReadOnlyDictionary<string, string?> values)
    {
        var r = new SchemaV1Record();
        foreach (var (k, v) in values)
            if (SchemaV1.FieldsByName.ContainsKey(k)) r[k] = v;
        return r;
    }
}
