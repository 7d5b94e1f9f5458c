namespace Fresco.Models.LightGcn;

/// <summary>
/// The cosine contrastive loss of SimpleX (Mao et al., "SimpleX: A Simple and Strong Baseline for Collaborative
/// Filtering", CIKM 2021): <c>(1 - cos(e_u, e_i)) + w / N x sum_j max(0, cos(e_u, e_j) - m)</c>. Not thread-safe
/// (see <see cref="CosineLoss"/>).
/// </summary>
internal sealed class CosineContrastiveLoss(CosineSetup setup, float margin, float weight) : CosineLoss(setup)
{
    protected override double PairLoss(float positive, Span<float> negatives, out float positiveSlope)
    {
        var slope = weight / negatives.Length;
        var hinge = 0.0;
        for (var n = 0; n < negatives.Length; n++)
        {
            var excess = negatives[n] - margin;
            hinge += Math.Max(excess, 0f);
            negatives[n] = excess > 0f ? slope : 0f;
        }
        positiveSlope = -1f;
        return 1.0 - positive + slope * hinge;
    }
}
