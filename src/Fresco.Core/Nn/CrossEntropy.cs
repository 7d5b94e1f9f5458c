using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// Softmax cross-entropy over row-major rows x classes logits with integer targets; rows whose target is
/// negative are ignored. The loss is the mean over the counted rows, and the fused gradient
/// <c>(softmax - onehot) / count</c> is written in the same pass. Thread-safe (static).
/// </summary>
public static class CrossEntropy
{
    /// <summary>
    /// Returns the mean loss over rows with a non-negative target (0 when there are none) and, unless
    /// <paramref name="logitsGrad"/> is empty, writes its gradient (zero rows for ignored targets). The gradient
    /// may alias the logits.
    /// </summary>
    public static float Compute(
        ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int rows, int classes, Span<float> logitsGrad)
    {
        var count = 0;
        for (var r = 0; r < rows; r++)
        {
            count += targets[r] >= 0 ? 1 : 0;
        }
        var inverse = count == 0 ? 0f : 1f / count;
        double total = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            var target = targets[r];
            if (target < 0)
            {
                if (!logitsGrad.IsEmpty)
                {
                    logitsGrad.Slice(r * classes, classes).Clear();
                }
                continue;
            }
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(target, classes);
            var max = TensorPrimitives.Max(row);
            var targetLogit = row[target];
            if (logitsGrad.IsEmpty)
            {
                double sum = 0;
                for (var c = 0; c < classes; c++)
                {
                    sum += Math.Exp(row[c] - max);
                }
                total += Math.Log(sum) - (targetLogit - max);
                continue;
            }
            var grad = logitsGrad.Slice(r * classes, classes);
            TensorPrimitives.Subtract(row, max, grad);
            TensorPrimitives.Exp(grad, grad);
            var z = TensorPrimitives.Sum(grad);
            total += Math.Log(z) - (targetLogit - max);
            TensorPrimitives.Multiply(grad, inverse / z, grad);
            grad[target] -= inverse;
        }
        return (float)(total * inverse);
    }
}
