namespace Fresco.Models.LightGcn;

/// <summary>
/// Sampled softmax over cosines with a temperature (Wu et al., "On the Effectiveness of Sampled Softmax Loss for Item
/// Recommendation", TOIS 2023): <c>-log( e^(cos(e_u, e_i) / t) / (e^(cos(e_u, e_i) / t) + sum_j e^(cos(e_u, e_j) / t)) )</c>
/// over uniform negatives (so no sampling correction is needed). Not thread-safe (see <see cref="CosineLoss"/>).
/// </summary>
internal sealed class SampledSoftmaxLoss(CosineSetup setup, float temperature) : CosineLoss(setup)
{
    protected override double PairLoss(float positive, Span<float> negatives, out float positiveSlope)
    {
        var inverse = 1f / temperature;
        var max = positive;
        foreach (var cosine in negatives)
        {
            max = MathF.Max(max, cosine);
        }
        var positiveExp = MathF.Exp((positive - max) * inverse);
        var sum = (double)positiveExp;
        for (var n = 0; n < negatives.Length; n++)
        {
            negatives[n] = MathF.Exp((negatives[n] - max) * inverse);
            sum += negatives[n];
        }
        var scale = (float)(inverse / sum);
        for (var n = 0; n < negatives.Length; n++)
        {
            negatives[n] *= scale;
        }
        positiveSlope = positiveExp * scale - inverse;
        return Math.Log(sum) - (positive - max) * inverse;
    }
}
