using System.Globalization;
using InclusionMap.Data.Accounts;
using MimeKit;

namespace InclusionMap.Server.Accounts;

/// <summary>The messages accounts receive, in French, as plain text (read anywhere, by any screen reader).</summary>
public static class AccountMails
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static MimeMessage Invitation(string email, AccountRole role, IReadOnlyList<string> departements, string link, TimeSpan lifetime)
    {
        var what = role switch
        {
            AccountRole.Admin => "administrer InclusionMap (comptes, rôles et départements)",
            AccountRole.Coordinator =>
                $"coordonner l'inclusion numérique ({Departements(departements)}) : modérer les signalements et corriger les lieux",
            _ => "mettre à jour la fiche de votre lieu",
        };
        return Message(email, "Votre invitation à InclusionMap", $"""
            Bonjour,

            Vous êtes invité·e à {what}.

            Pour choisir votre mot de passe et activer votre compte, ouvrez ce lien :
            {link}

            Ce lien ne sert qu'une fois et expire le {Expiry(lifetime)}. Si vous ne vous attendiez pas à ce message,
            ignorez-le : aucun compte ne sera activé.

            Si votre administration utilise ProConnect, vous pouvez aussi vous connecter avec ProConnect, avec cette adresse.

            — InclusionMap
            """);
    }

    public static MimeMessage PasswordReset(string email, string link, TimeSpan lifetime) =>
        Message(email, "Choisir un nouveau mot de passe InclusionMap", $"""
            Bonjour,

            Quelqu'un (sans doute vous) a demandé à changer le mot de passe du compte InclusionMap {email}.

            Pour choisir un nouveau mot de passe, ouvrez ce lien :
            {link}

            Ce lien ne sert qu'une fois et expire le {Expiry(lifetime)}. Si vous n'avez rien demandé, ignorez ce message :
            votre mot de passe ne change pas.

            — InclusionMap
            """);

    private static string Departements(IReadOnlyList<string> codes) =>
        (codes.Count == 1 ? "département " : "départements ") + string.Join(", ", codes);

    /// <summary>When a link made now for <paramref name="lifetime"/> expires, in Paris time, as mails say it.</summary>
    internal static string Expiry(TimeSpan lifetime)
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var at = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow + lifetime, paris);
        return at.ToString("d MMMM yyyy 'à' HH'h'mm", French) + " (heure de Paris)";
    }

    private static MimeMessage Message(string email, string subject, string text)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.To.Add(MailboxAddress.Parse(email));
        return message;
    }
}
