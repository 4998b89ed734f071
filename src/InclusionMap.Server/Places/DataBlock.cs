using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace InclusionMap.Server.Places;

/// <summary>
/// <c>&lt;script type="application/ld+json"&gt;</c>: a data block, which browsers never run, so the Content-Security-Policy
/// needs no allowance for it. Written as markup (an attribute would encode the <c>+</c> of its type): its JSON must escape
/// <c>&lt;</c> (<see cref="PlaceJsonLd"/>), so that nothing in it can close the element.
/// </summary>
public sealed class DataBlock : ComponentBase
{
    [Parameter, EditorRequired] public string Json { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (Json.Contains('<')) throw new InvalidOperationException("A data block's JSON must escape '<'.");
        builder.AddMarkupContent(0, $"<script type=\"application/ld+json\">{Json}</script>");
    }
}
