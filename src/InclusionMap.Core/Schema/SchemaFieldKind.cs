namespace InclusionMap.Core.Schema;

/// <summary>How a field's value is checked beyond the schema's pattern.</summary>
public enum SchemaFieldKind
{
    Text,
    Number,
    Date,
    /// <summary>One absolute http or https URL.</summary>
    Link,
    /// <summary>Absolute http or https URLs separated by <see cref="SchemaV1.Separator"/>.</summary>
    Links,
}
