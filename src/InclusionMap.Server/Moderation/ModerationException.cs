namespace InclusionMap.Server.Moderation;

/// <summary>
/// A contribution or a moderation request that cannot be done as asked: a GraphQL error code (<see cref="Code"/>) and a
/// readable French message; a refused form field names its field (<see cref="Fields"/>). Nothing was written.
/// </summary>
public sealed class ModerationException(string code, string message, IReadOnlyList<FieldError>? fields = null) : Exception(message)
{
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string NotFound = "NOT_FOUND";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string AlreadyResolved = "ALREADY_RESOLVED";
    public const string CatalogueBusy = "CATALOGUE_BUSY";

    public string Code { get; } = code;
    public IReadOnlyList<FieldError> Fields { get; } = fields ?? [];

    public static ModerationException Invalid(IReadOnlyList<FieldError> errors) =>
        new(BadUserInput, string.Join(" ", errors.Select(e => e.Message)), errors);

    public static ModerationException Refused(string message = "Votre compte ne permet pas cette action.") => new(Forbidden, message);

    public static ModerationException SignInNeeded() =>
        new(Unauthenticated,
            "Connectez-vous : envoyez un jeton d'accès personnel (Authorization: Bearer) ou votre session avec son jeton antiforgery.");
}
