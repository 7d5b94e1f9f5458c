namespace Fresco.Engine.Storage;

/// <summary>
/// What one user did under one variant of an experiment: the answers shown to them (<see cref="Impressions"/>) and the
/// clicks, carts and purchases attributed to those answers, with the purchases' summed value as
/// <see cref="Revenue"/>. Immutable value.
/// </summary>
public sealed record ExperimentUserOutcome(string UserId, string Variant, long Impressions, long Clicks, long Carts, long Purchases, double Revenue);
