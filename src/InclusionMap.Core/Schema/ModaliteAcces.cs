namespace InclusionMap.Core.Schema;

/// <summary><c>modalites_acces</c>.</summary>
public enum ModaliteAcces
{
    [Label("Se présenter")] SePresenter,
    [Label("Téléphoner")] Telephoner,
    [Label("Contacter par mail")] ContacterParMail,
    [Label("Prendre un RDV en ligne")] PrendreUnRdvEnLigne,
    [Label("Ce lieu n'accueille pas de public")] CeLieuNAccueillePasDePublic,
    [Label("Envoyer un mail avec une fiche de prescription")] EnvoyerUnMailAvecUneFicheDePrescription,
}
