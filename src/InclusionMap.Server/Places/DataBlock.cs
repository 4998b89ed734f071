using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace InclusionMap.Server.Places;

/// <summary>
/// <c>&lt;script type="application/ld+json"&gt;</c>: a data block, which browsers never run, so the Content-Security-Policy
/// needs no allowance for it. Its text is written as is: it must be JSON whose <c>&lt;</c> is escaped (<see cref="PlaceJsonLd"/>).
/// </summary>
public sealed class DataBlock : ComponentBase
{
    [Parameter, EditorRequired] public string Json { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (Json.Contains('<')) throw new InvalidOperationException("A data block's JSON must escape '<'.");
        builder.OpenElement(0, "script");
        builder.AddAttribute(1, "type", "application/ld+json");
        builder.AddMarkupContent(2, Json);
        builder.CloseElement();
    }
}
