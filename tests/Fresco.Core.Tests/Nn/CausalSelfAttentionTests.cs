using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class CausalSelfAttentionTests
{
    [Theory]
    [InlineData(3, 5, 1, 7)]
    [InlineData(2, 6, 2, 6)]
    [InlineData(1, 1, 3, 9)]
    public void ForwardMatchesNaiveReference(int batch, int length, int heads, int dimension)
    {
        var (q, k, v, lengths) = Inputs(batch, length, dimension, 1);
        var output = new float[q.Length];
        var probabilities = new float[batch * heads * length * length];
        CausalSelfAttention.Forward(q, k, v, lengths, batch, length, heads, dimension, output, probabilities);
        GradCheck.AssertClose(Reference(q, k, v, lengths, batch, length, heads, dimension), output);
    }

    [Fact]
    public void OutputAtTIsIndependentOfLaterInputs()
    {
        const int batch = 2, length = 5, heads = 2, dimension = 6;
        var (q, k, v, _) = Inputs(batch, length, dimension, 2);
        int[] lengths = [length, length];
        var baseline = Run(q, k, v, lengths, batch, length, heads, dimension);
        for (var t = 0; t < length - 1; t++)
        {
            // Change every input after position t in both sequences; rows 0..t must not move.
            float[] q2 = (float[])q.Clone(), k2 = (float[])k.Clone(), v2 = (float[])v.Clone();
            for (var b = 0; b < batch; b++)
            {
                for (var i = (b * length + t + 1) * dimension; i < (b + 1) * length * dimension; i++)
                {
                    q2[i] += 1f;
                    k2[i] -= 2f;
                    v2[i] += 3f;
                }
            }
            var changed = Run(q2, k2, v2, lengths, batch, length, heads, dimension);
            for (var b = 0; b < batch; b++)
            {
                var span = (t + 1) * dimension;
                Assert.Equal(baseline.AsSpan(b * length * dimension, span), changed.AsSpan(b * length * dimension, span));
                Assert.NotEqual(baseline[(b * length + t + 1) * dimension], changed[(b * length + t + 1) * dimension]);
            }
        }
    }

    [Fact]
    public void PaddingIsNeverAttendedAndPaddedRowsAreZero()
    {
        const int length = 6, heads = 2, dimension = 4, real = 3;
        var (q, k, v, _) = Inputs(1, length, dimension, 3);
        int[] lengths = [real];
        var padded = Run(q, k, v, lengths, 1, length, heads, dimension);
        const int start = (length - real) * dimension;
        Assert.All(padded.AsSpan(0, start).ToArray(), x => Assert.Equal(0f, x));
        // The real rows equal the attention over the unpadded sequence alone.
        var alone = Run(q[start..], k[start..], v[start..], [real], 1, real, heads, dimension);
        GradCheck.AssertClose(alone, padded.AsSpan(start).ToArray(), 1e-6f);
        // Garbage in the padding changes nothing.
        for (var i = 0; i < start; i++)
        {
            q[i] = 1e3f;
            k[i] = -1e3f;
            v[i] = 1e3f;
        }
        Assert.Equal(padded, Run(q, k, v, lengths, 1, length, heads, dimension));
    }

    [Theory]
    [InlineData(3, 5, 1, 7)]
    [InlineData(2, 4, 2, 6)]
    public void BackwardMatchesFiniteDifferences(int batch, int length, int heads, int dimension)
    {
        var (q, k, v, lengths) = Inputs(batch, length, dimension, 4);
        var r = GradCheck.Random(q.Length, 5);
        var output = new float[q.Length];
        var probabilities = new float[batch * heads * length * length];
        double Loss()
        {
            CausalSelfAttention.Forward(q, k, v, lengths, batch, length, heads, dimension, output, probabilities);
            return GradCheck.Dot(r, output);
        }
        Loss();
        float[] dq = new float[q.Length], dk = new float[k.Length], dv = new float[v.Length];
        CausalSelfAttention.Backward(q, k, v, probabilities, r, batch, length, heads, dimension, dq, dk, dv, new float[length * length]);
        GradCheck.Assert(q, dq, Loss, step: 1e-3f);
        GradCheck.Assert(k, dk, Loss, step: 1e-3f);
        GradCheck.Assert(v, dv, Loss, step: 1e-3f);
    }

    [Fact]
    public void ParallelHeadsMatchTheSerialPathExactly()
    {
        // 4 x 2 pairs of 32 x 32 x 32 products: large enough to take the parallel path.
        const int batch = 4, length = 32, heads = 2, dimension = 64;
        var (q, k, v, lengths) = Inputs(batch, length, dimension, 6);
        var dOut = GradCheck.Random(q.Length, 7);
        float[] Run(int threads, int workers, out float[] dq, out float[] dk, out float[] dv)
        {
            var output = new float[q.Length];
            var probabilities = new float[batch * heads * length * length];
            CausalSelfAttention.Forward(q, k, v, lengths, batch, length, heads, dimension, output, probabilities, threads);
            (dq, dk, dv) = (new float[q.Length], new float[q.Length], new float[q.Length]);
            CausalSelfAttention.Backward(q, k, v, probabilities, dOut, batch, length, heads, dimension, dq, dk, dv, new float[workers * length * length], threads);
            return output;
        }
        var serial = Run(1, 1, out var dq1, out var dk1, out var dv1);
        var parallel = Run(3, 3, out var dq3, out var dk3, out var dv3);
        Assert.Equal(serial, parallel);
        Assert.Equal(dq1, dq3);
        Assert.Equal(dk1, dk3);
        Assert.Equal(dv1, dv3);
        GradCheck.AssertClose(Reference(q, k, v, lengths, batch, length, heads, dimension), parallel);
    }

    private static (float[] Q, float[] K, float[] V, int[] Lengths) Inputs(int batch, int length, int dimension, int seed)
    {
        var lengths = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            lengths[b] = Math.Max(1, length - 2 * b);
        }
        var size = batch * length * dimension;
        return (GradCheck.Random(size, seed), GradCheck.Random(size, seed + 10), GradCheck.Random(size, seed + 20), lengths);
    }

    private static float[] Run(float[] q, float[] k, float[] v, int[] lengths, int batch, int length, int heads, int dimension)
    {
        var output = new float[q.Length];
        CausalSelfAttention.Forward(q, k, v, lengths, batch, length, heads, dimension, output, new float[batch * heads * length * length]);
        return output;
    }

    private static float[] Reference(float[] q, float[] k, float[] v, int[] lengths, int batch, int length, int heads, int dimension)
    {
        var headDim = dimension / heads;
        var output = new float[q.Length];
        var weights = new double[length];
        for (var b = 0; b < batch; b++)
        {
            var start = length - lengths[b];
            for (var h = 0; h < heads; h++)
            {
                for (var i = start; i < length; i++)
                {
                    double sum = 0;
                    for (var j = start; j <= i; j++)
                    {
                        double dot = 0;
                        for (var d = 0; d < headDim; d++)
                        {
                            dot += (double)q[(b * length + i) * dimension + h * headDim + d] * k[(b * length + j) * dimension + h * headDim + d];
                        }
                        weights[j] = Math.Exp(dot / Math.Sqrt(headDim));
                        sum += weights[j];
                    }
                    for (var d = 0; d < headDim; d++)
                    {
                        double value = 0;
                        for (var j = start; j <= i; j++)
                        {
                            value += weights[j] / sum * v[(b * length + j) * dimension + h * headDim + d];
                        }
                        output[(b * length + i) * dimension + h * headDim + d] = (float)value;
                    }
                }
            }
        }
        return output;
    }
}
