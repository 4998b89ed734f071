namespace InclusionMap.Server.Accounts;

/// <summary>The actions of the audit log (<see cref="Data.Accounts.AuditEntry.Action"/>): one name each, used everywhere.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in.failed";
    public const string SignInRefused = "sign-in.refused";
    public const string SignOut = "sign-out";
    public const string AccountInvited = "account.invited";
    public const string AccountRevoked = "account.revoked";
    public const string PasswordSet = "password.set";
    public const string PasswordResetRequested = "password.reset-requested";
    public const string ApiTokenCreated = "api-token.created";
    public const string ApiTokenRevoked = "api-token.revoked";
}
