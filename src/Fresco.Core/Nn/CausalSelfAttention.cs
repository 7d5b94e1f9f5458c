using Fresco.Core.Linalg;

namespace Fresco.Core.Nn;

/// <summary>
/// Multi-head scaled dot-product self-attention with a causal mask and a padding mask for left-padded
/// sequences. Q, K, V and the output are row-major (batch * length) x dimension buffers whose columns hold the
/// heads side by side (head h owns columns h * headDim ..). Sequence b has <c>lengths[b]</c> real positions at
/// its end; the first <c>length - lengths[b]</c> positions are padding: they are never attended to, and their
/// own outputs (and probability rows) are zero. The forward pass saves the probabilities,
/// batch x heads x length x length. Products go through <see cref="Gemm"/> (one thread each); the
/// (sequence, head) pairs are spread over <c>threads</c> workers (0 means all cores). Thread-safe (static).
/// </summary>
public static class CausalSelfAttention
{
    /// <summary>Writes the attention output and the saved probabilities.</summary>
    public static unsafe void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<int> lengths,
        int batch, int length, int heads, int dimension, Span<float> output, Span<float> probabilities, int threads = 0)
    {
        var shape = new Shape(batch, length, heads, dimension);
        var workers = Workers(threads, shape, int.MaxValue);
        if (workers == 1)
        {
            for (var pair = 0; pair < batch * heads; pair++)
            {
                ForwardHead(q, k, v, lengths, shape, output, probabilities, pair);
            }
            return;
        }
        fixed (float* pq = q, pk = k, pv = v, po = output, pp = probabilities)
        fixed (int* pl = lengths)
        {
            (nint Q, nint K, nint V, nint O, nint P, nint L) at = ((nint)pq, (nint)pk, (nint)pv, (nint)po, (nint)pp, (nint)pl);
            (int Q, int K, int V, int O, int P, int L) n = (q.Length, k.Length, v.Length, output.Length, probabilities.Length, lengths.Length);
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                for (var pair = worker; pair < batch * heads; pair += workers)
                {
                    ForwardHead(
                        new ReadOnlySpan<float>((float*)at.Q, n.Q), new ReadOnlySpan<float>((float*)at.K, n.K),
                        new ReadOnlySpan<float>((float*)at.V, n.V), new ReadOnlySpan<int>((int*)at.L, n.L), shape,
                        new Span<float>((float*)at.O, n.O), new Span<float>((float*)at.P, n.P), pair);
                }
            });
        }
    }

    /// <summary>
    /// Writes dQ, dK and dV from the output gradient and the saved probabilities. <paramref name="scratch"/> holds
    /// at least length * length floats; each further length * length block lets one more worker run.
    /// </summary>
    public static unsafe void Backward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> outputGrad, int batch, int length, int heads, int dimension,
        Span<float> qGrad, Span<float> kGrad, Span<float> vGrad, Span<float> scratch, int threads = 0)
    {
        var shape = new Shape(batch, length, heads, dimension);
        var square = length * length;
        ArgumentOutOfRangeException.ThrowIfLessThan(scratch.Length, square);
        var workers = Workers(threads, shape, scratch.Length / Math.Max(1, square));
        if (workers == 1)
        {
            for (var pair = 0; pair < batch * heads; pair++)
            {
                BackwardHead(q, k, v, probabilities, outputGrad, shape, qGrad, kGrad, vGrad, scratch[..square], pair);
            }
            return;
        }
        fixed (float* pq = q, pk = k, pv = v, pp = probabilities, pg = outputGrad, dq = qGrad, dk = kGrad, dv = vGrad, ps = scratch)
        {
            (nint Q, nint K, nint V, nint P, nint G, nint DQ, nint DK, nint DV, nint S) at =
                ((nint)pq, (nint)pk, (nint)pv, (nint)pp, (nint)pg, (nint)dq, (nint)dk, (nint)dv, (nint)ps);
            var n = q.Length;
            var np = probabilities.Length;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                var local = new Span<float>((float*)at.S + (long)worker * square, square);
                for (var pair = worker; pair < batch * heads; pair += workers)
                {
                    BackwardHead(
                        new ReadOnlySpan<float>((float*)at.Q, n), new ReadOnlySpan<float>((float*)at.K, n),
                        new ReadOnlySpan<float>((float*)at.V, n), new ReadOnlySpan<float>((float*)at.P, np),
                        new ReadOnlySpan<float>((float*)at.G, n), shape, new Span<float>((float*)at.DQ, n),
                        new Span<float>((float*)at.DK, n), new Span<float>((float*)at.DV, n), local, pair);
                }
            });
        }
    }

    private static void ForwardHead(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<int> lengths, Shape s,
        Span<float> output, Span<float> probabilities, int pair)
    {
        int b = pair / s.Heads, h = pair % s.Heads, length = s.Length, square = length * length;
        var start = length - lengths[b];
        var p = probabilities.Slice(pair * square, square);
        var column = b * length * s.Dimension + h * s.HeadDim;
        var scale = 1f / MathF.Sqrt(s.HeadDim);
        Gemm.Multiply(false, true, length, length, s.HeadDim, scale, q[column..], s.Dimension, k[column..], s.Dimension, 0f, p, length, 1);
        for (var i = 0; i < length; i++)
        {
            var row = p.Slice(i * length, length);
            if (i < start)
            {
                row.Clear();
                continue;
            }
            row[..start].Fill(float.NegativeInfinity);
            row[(i + 1)..].Fill(float.NegativeInfinity);
            Softmax.Row(row, row);
        }
        Gemm.Multiply(false, false, length, s.HeadDim, length, 1f, p, length, v[column..], s.Dimension, 0f, output[column..], s.Dimension, 1);
    }

    private static void BackwardHead(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> outputGrad, Shape s, Span<float> qGrad, Span<float> kGrad, Span<float> vGrad,
        Span<float> scores, int pair)
    {
        int b = pair / s.Heads, h = pair % s.Heads, length = s.Length, square = length * length, d = s.Dimension;
        var p = probabilities.Slice(pair * square, square);
        var column = b * length * d + h * s.HeadDim;
        var dOut = outputGrad[column..];
        var scale = 1f / MathF.Sqrt(s.HeadDim);
        // dV = P^T dO; dP = dO V^T; dS = softmax backward of dP; dQ = scale dS K; dK = scale dS^T Q.
        Gemm.Multiply(true, false, length, s.HeadDim, length, 1f, p, length, dOut, d, 0f, vGrad[column..], d, 1);
        Gemm.Multiply(false, true, length, length, s.HeadDim, 1f, dOut, d, v[column..], d, 0f, scores, length, 1);
        Softmax.Backward(p, scores, length, length, scores);
        Gemm.Multiply(false, false, length, s.HeadDim, length, scale, scores, length, k[column..], d, 0f, qGrad[column..], d, 1);
        Gemm.Multiply(true, false, length, s.HeadDim, length, scale, scores, length, q[column..], d, 0f, kGrad[column..], d, 1);
    }

    private static int Workers(int threads, Shape s, int limit)
    {
        var wanted = threads > 0 ? threads : Environment.ProcessorCount;
        // Below about a 64^3 product per pair the fork costs more than it saves.
        var work = (long)s.Batch * s.Heads * s.Length * s.Length * s.HeadDim;
        return work < 64 * 64 * 64 ? 1 : Math.Max(1, Math.Min(Math.Min(wanted, limit), s.Batch * s.Heads));
    }

    private readonly record struct Shape
    {
        public Shape(int batch, int length, int heads, int dimension)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
            if (dimension % heads != 0)
            {
                throw new ArgumentException($"Dimension {dimension} is not a multiple of {heads} heads.", nameof(dimension));
            }
            (Batch, Length, Heads, Dimension, HeadDim) = (batch, length, heads, dimension, dimension / heads);
        }

        public int Batch { get; }
        public int Length { get; }
        public int Heads { get; }
        public int Dimension { get; }
        public int HeadDim { get; }
    }
}
