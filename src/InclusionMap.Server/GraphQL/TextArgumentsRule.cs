using GraphQL.Validation;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Refuses a text argument holding a NUL character, given inline or as a variable, whichever field it goes to:
/// PostgreSQL text cannot hold one, so it would fail in the database (<c>BAD_USER_INPUT</c> instead).
/// </summary>
public sealed class TextArgumentsRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        foreach (var (field, arguments) in context.ArgumentValues ?? [])
            foreach (var (name, argument) in arguments)
                if (HoldsNul(argument.Value, depth: 0))
                {
                    context.ReportError(new ValidationError(context.Document.Source, null,
                        $"Argument '{name}' of field '{field.Name.StringValue}' holds a NUL character (U+0000), " +
                        "which no text here may hold.", field)
                    {
                        Code = GraphQLErrorCodes.BadUserInput,
                    });
                    return default;
                }
        return default;
    }

    private static bool HoldsNul(object? value, int depth) => depth < 32 && value switch
    {
        string text => text.Contains('\0', StringComparison.Ordinal),
        IDictionary<string, object?> fields => fields.Values.Any(v => HoldsNul(v, depth + 1)),
        System.Collections.IEnumerable items => items.Cast<object?>().Any(v => HoldsNul(v, depth + 1)),
        _ => false,
    };
}
