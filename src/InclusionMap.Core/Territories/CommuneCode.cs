namespace InclusionMap.Core.Territories;

/// <summary>
/// Every code that designates a current commune: the commune itself, its arrondissements municipaux, its communes
/// déléguées and associées, and the former codes merged into it. Used to resolve the <c>code_insee</c> of imported rows.
/// </summary>
public class CommuneCode
{
    public string Code { get; set; } = "";
    public string CommuneCodeCurrent { get; set; } = "";
    public string Kind { get; set; } = "";
}
