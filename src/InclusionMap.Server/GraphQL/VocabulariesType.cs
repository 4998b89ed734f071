using GraphQL.Types;
using InclusionMap.Core.Places;

namespace InclusionMap.Server.GraphQL;

/// <summary><c>vocabularies</c>: every vocabulary of the registry's fields, by the field's GraphQL name.</summary>
public sealed class VocabulariesType : ObjectGraphType
{
    public VocabulariesType(IServiceProvider services)
    {
        Name = "Vocabularies";
        Description = "Every vocabulary of the national schema v1.0.2 with its official labels.";
        foreach (var field in SiteFields.All.Where(f => f.Vocabulary is not null))
        {
            // Entries read from the enum type itself, so names and labels cannot drift apart.
            var type = (EnumerationGraphType)services.GetRequiredService(VocabularyEnumType.For(field.Vocabulary!));
            var entries = type.Values.Select(v => new VocabularyEntry(v.Name, v.Description!)).ToList();
            Field<NonNullGraphType<ListGraphType<NonNullGraphType<VocabularyEntryType>>>>(VocabularyName(field))
                .ListSize(assumedSize: entries.Count).Resolve(_ => entries);
        }
    }

    /// <summary>The names the <c>vocabularies</c> query has always used: the field's name, <c>publics</c> for the publics.</summary>
    private static string VocabularyName(SiteField field) =>
        field.Name == nameof(Site.PublicsSpecifiquementAdresses) ? "publics" : field.GraphQLName;
}
