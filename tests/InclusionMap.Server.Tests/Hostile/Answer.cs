namespace InclusionMap.Server.Tests.Hostile;

/// <summary>The class of answer a hostile request must get.</summary>
public enum Answer
{
    /// <summary>A 4xx with a stable code and a readable message (a problem, an OData error or GraphQL errors).</summary>
    Refused,

    /// <summary>
    /// A 4xx from the HTTP server itself (Kestrel), before the application sees the request: a request line, header or
    /// body framing it cannot read, or headers over its limits. Kestrel answers with a bare status and no body.
    /// </summary>
    RefusedByHttpServer,

    /// <summary>GraphQL over HTTP's legacy media type: a client accepting only application/json gets 200 with errors.</summary>
    GraphQLErrorsIn200,

    /// <summary>
    /// A GraphQL document that parsed and validated, with an argument its resolver refuses: GraphQL over HTTP answers
    /// 200 once a document executes, the refusal being a field error (<c>errors[].path</c>, <c>extensions.code</c>)
    /// beside <c>data</c> (docs/api-graphql.md, « Status »).
    /// </summary>
    GraphQLFieldError,

    /// <summary>A hostile-looking value that is valid after all (-0, an unknown id): answered normally, 2xx.</summary>
    Served,
}
