namespace Fresco.Engine.Experiments;

/// <summary>One user's attributed outcome in one variant of an experiment (the user is the unit of analysis). Immutable value.</summary>
public sealed record ExperimentUserOutcome(string UserId, string Variant, long Impressions, long Clicks, long Carts, long Purchases, double Revenue);
