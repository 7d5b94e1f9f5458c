namespace Fresco.Engine.Storage;

/// <summary>What an attributed feedback counts as (the mapping of feedback types is <c>Attribution:*Types</c>).</summary>
public enum AttributionKind
{
    Click = 1,
    Cart = 2,
    Purchase = 3,
}
