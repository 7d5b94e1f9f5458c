using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// Layer normalization over the last dimension of a row-major rows x dimension buffer:
/// <c>y = (x - mean) * rstd * gamma + beta</c>. The forward pass saves each row's mean and reciprocal standard
/// deviation for the backward pass. Thread-safe (static); concurrent calls must not share outputs.
/// </summary>
public static class LayerNorm
{
    /// <summary>Normalizes each row of <paramref name="x"/> into <paramref name="y"/>; saves mean and rstd per row.</summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int rows, int dimension,
        Span<float> y, Span<float> mean, Span<float> rstd, float epsilon = 1e-5f)
    {
        for (var r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dimension, dimension);
            var yr = y.Slice(r * dimension, dimension);
            var mu = TensorPrimitives.Sum(xr) / dimension;
            TensorPrimitives.Subtract(xr, mu, yr);
            var variance = TensorPrimitives.SumOfSquares(yr) / dimension;
            var s = 1f / MathF.Sqrt(variance + epsilon);
            mean[r] = mu;
            rstd[r] = s;
            TensorPrimitives.Multiply(yr, s, yr);
            TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);
        }
    }

    /// <summary>
    /// Writes <paramref name="dx"/> and accumulates <paramref name="gammaGrad"/> and <paramref name="betaGrad"/>,
    /// from the saved mean and rstd. <paramref name="dx"/> may alias <paramref name="dy"/>.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, int rows, int dimension,
        Span<float> dx, Span<float> gammaGrad, Span<float> betaGrad)
    {
        for (var r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dimension, dimension);
            var dyr = dy.Slice(r * dimension, dimension);
            var dxr = dx.Slice(r * dimension, dimension);
            float mu = mean[r], s = rstd[r];
            // Sums of g = dy * gamma and of g * xhat, where xhat = (x - mu) * s.
            float sumG = 0f, sumGx = 0f;
            for (var i = 0; i < dimension; i++)
            {
                var xhat = (xr[i] - mu) * s;
                var g = dyr[i] * gamma[i];
                sumG += g;
                sumGx += g * xhat;
                gammaGrad[i] += dyr[i] * xhat;
                betaGrad[i] += dyr[i];
            }
            var meanG = sumG / dimension;
            var meanGx = sumGx / dimension;
            for (var i = 0; i < dimension; i++)
            {
                var xhat = (xr[i] - mu) * s;
                dxr[i] = s * (dyr[i] * gamma[i] - meanG - xhat * meanGx);
            }
        }
    }
}
