namespace InclusionMap.Data.Accounts;

/// <summary>What a one-time link lets its holder do; a link is accepted only for its own purpose.</summary>
public enum OneTimeLinkPurpose
{
    /// <summary>Set a first password (and so confirm the email address) after an invitation.</summary>
    Invitation,

    /// <summary>Choose a new password.</summary>
    PasswordReset,

    /// <summary>Claim a place: sent to an email address the catalogue lists for that site.</summary>
    SiteClaim,
}
