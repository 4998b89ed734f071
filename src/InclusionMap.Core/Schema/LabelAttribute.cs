namespace InclusionMap.Core.Schema;

/// <summary>The official French label of a vocabulary value, exactly as the national schema v1.0.2 spells it.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class LabelAttribute(string label) : Attribute
{
    public string Label { get; } = label;
}
