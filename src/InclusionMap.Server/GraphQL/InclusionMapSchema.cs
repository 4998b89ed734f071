using GraphQL;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The schema. Introspection answers what current GraphQL tools ask (graphql-js's <c>getIntrospectionQuery</c> with
/// every option: GraphiQL, Apollo, gql, code generators): <c>isRepeatable</c> and the deprecation of arguments and input
/// fields, which graphql-dotnet serves once enabled, and <c>specifiedByURL</c> and <c>__Directive.args(includeDeprecated:)</c>,
/// added here to its introspection types.
/// </summary>
public sealed class InclusionMapSchema : Schema
{
    public InclusionMapSchema(IServiceProvider services) : base(services)
    {
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
        Description = "InclusionMap: places offering digital help in France (national schema « lieux de médiation numérique » v1.0.2).";
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        Directives.Register(new CostDirective(), new ListSizeDirective(), new SpecifiedByDirective());
        RegisterType(new FiniteFloatGraphType());
    }

    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        switch (graphType)
        {
            case __Type type when type.GetField("specifiedByURL") is null:
                type.Field<StringGraphType>("specifiedByURL").Resolve(context => context.Source is ScalarGraphType scalar
                    ? scalar.FindAppliedDirective(SpecifiedByDirective.DirectiveName)?.FindArgument(SpecifiedByDirective.Url)?.Value
                    : null);
                break;
            case __Directive directive when directive.GetField("args") is { Arguments: null } args:
                args.Arguments = new QueryArguments(
                    new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false });
                args.Resolver = new FuncFieldResolver<Directive, IEnumerable<QueryArgument>>(context => (context.Source.Arguments ?? [])
                    .Where(a => context.GetArgument<bool>("includeDeprecated") || a.DeprecationReason is null));
                break;
        }
    }
}
