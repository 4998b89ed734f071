using System.Text.RegularExpressions;

namespace InclusionMap.Core.Schema;

/// <summary>One field of the national schema v1.0.2 (Frictionless Table Schema), with its constraints.</summary>
/// <param name="Name">Official field name, e.g. <c>code_postal</c>.</param>
/// <param name="Required">Whether the schema marks the field required.</param>
/// <param name="Pattern">The schema's regular expression, exactly as published (null when none).</param>
/// <param name="MaxLength">The schema's maxLength (null when none).</param>
/// <param name="Kind">How the value is checked beyond the pattern.</param>
public sealed record SchemaField(string Name, bool Required, string? Pattern, int? MaxLength, SchemaFieldKind Kind)
{
    // The published patterns use the shape (?:(?:^|\|)(A|B))+$ and are meant as a full match: anchor them.
    private readonly Regex? _regex = Pattern is null ? null : new Regex($"^(?:{Pattern})$", RegexOptions.CultureInvariant);

    public bool Matches(string value) => _regex?.IsMatch(value) ?? true;

    /// <summary>
    /// An address people open from our pages: only absolute http(s) URLs are kept (<see cref="SchemaV1Validator.LinkProblem"/>).
    /// </summary>
    public bool IsLink => Kind is SchemaFieldKind.Link or SchemaFieldKind.Links;
}
