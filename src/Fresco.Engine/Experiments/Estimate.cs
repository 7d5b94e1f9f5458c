namespace Fresco.Engine.Experiments;

/// <summary>A difference (variant minus control) with its 95% confidence interval and two-sided p-value. Immutable value.</summary>
public readonly record struct Estimate(double Difference, double Low, double High, double PValue);
