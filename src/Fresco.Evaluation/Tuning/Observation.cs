namespace Fresco.Evaluation.Tuning;

/// <summary>One evaluated point of a search: a value per dimension (a choice's index for a categorical one) and the objective reached, higher is better. Immutable.</summary>
public sealed record Observation(double[] Point, double Value);
