using InclusionMap.Data.Moderation;
using InclusionMap.Server.Accounts;
using MimeKit;

namespace InclusionMap.Server.Moderation;

/// <summary>What residents and structures receive, in French, as plain text.</summary>
public static class ModerationMails
{
    public static string KindLabel(ReportKind kind) => kind switch
    {
        ReportKind.Closed => "le lieu est fermé définitivement",
        ReportKind.WrongHours => "les horaires sont faux",
        ReportKind.WrongAddress => "l'adresse ou la position est fausse",
        ReportKind.WrongContact => "le téléphone ou l'adresse électronique est faux",
        _ => "autre problème",
    };

    public static MimeMessage ReportAnswer(string email, string place, ReportKind kind, ReportStatus status, string answer) =>
        Message(email, $"Votre signalement sur « {place} »", $"""
            Bonjour,

            Vous aviez signalé un problème sur la fiche « {place} » d'InclusionMap ({KindLabel(kind)}).
            {(status == ReportStatus.Fixed ? "La fiche a été corrigée." : "Après vérification, la fiche n'a pas été modifiée.")}

            Réponse de la coordination :
            {answer}

            Merci de votre aide.

            — InclusionMap
            """);

    public static MimeMessage SuggestionAnswer(string email, string place, bool accepted, string? answer, string? link) =>
        Message(email, $"Votre proposition « {place} »", $"""
            Bonjour,

            Vous aviez proposé d'ajouter le lieu « {place} » à InclusionMap.
            {(accepted ? "Il a été ajouté" + (link is null ? "." : $" : {link}") : "Il n'a pas été ajouté.")}
            {(answer is null ? "" : "\nRéponse de la coordination :\n" + answer + "\n")}
            Merci de votre aide.

            — InclusionMap
            """);

    public static MimeMessage ClaimLink(string email, string place, string link, TimeSpan lifetime) =>
        Message(email, $"Gérer la fiche « {place} » sur InclusionMap", $"""
            Bonjour,

            Quelqu'un (sans doute vous) a demandé à gérer la fiche du lieu « {place} » sur InclusionMap, la carte des lieux
            d'aide au numérique. Cette adresse est celle que la fiche indique pour ce lieu.

            Pour mettre à jour ses horaires, ses services, ses coordonnées ou signaler une fermeture temporaire, ouvrez ce lien :
            {link}

            Ce lien ne sert qu'une fois et expire le {AccountMails.Expiry(lifetime)}. Si vous n'avez rien demandé, ignorez ce message :
            rien ne change.

            — InclusionMap
            """);

    private static MimeMessage Message(string email, string subject, string text)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.To.Add(MailboxAddress.Parse(email));
        return message;
    }
}
