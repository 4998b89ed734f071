namespace InclusionMap.Core.Schema;

/// <summary><c>frais_a_charge</c>.</summary>
public enum FraisACharge
{
    [Label("Gratuit")] Gratuit,
    [Label("Gratuit sous condition")] GratuitSousCondition,
    [Label("Payant")] Payant,
}
