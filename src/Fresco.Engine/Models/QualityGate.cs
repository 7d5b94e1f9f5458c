namespace Fresco.Engine.Models;

/// <summary>
/// When a candidate may replace the serving model: its <paramref name="MetricName"/> (higher is better) must reach
/// at least the serving model's value times (1 - <paramref name="Margin"/>), both measured on the same hold-out.
/// A hold-out of fewer than <paramref name="MinHoldoutUsers"/> users cannot tell two models apart: the candidate, the
/// newer model, is then promoted as "untested", never as passed (0: no minimum). Immutable value.
/// </summary>
public sealed record QualityGate(string MetricName, double Margin, int MinHoldoutUsers = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> on an empty metric name or a margin outside [0, 1].</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(MetricName, nameof(MetricName));
        if (!(Margin is >= 0 and <= 1))
        {
            throw new ArgumentException($"Margin must be within [0, 1]; got {Margin}.", nameof(Margin));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(MinHoldoutUsers);
    }
}
