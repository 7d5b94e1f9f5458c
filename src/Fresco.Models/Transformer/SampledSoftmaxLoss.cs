using System.Numerics.Tensors;
using Fresco.Core.Linalg;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// Sampled softmax for large catalogs (Jean et al. 2015): each batch shares negatives drawn with replacement in
/// proportion to item frequency; every logit, the target's included, is corrected by minus the log of its
/// expected sample count (log-Q correction), and a negative equal to the row's target is masked. Not
/// thread-safe: one batch at a time.
/// </summary>
internal sealed class SampledSoftmaxLoss : ISequenceLoss
{
    private const int ChunkRows = 512;

    private readonly int _dimension;
    private readonly int _negatives;
    private readonly double[] _cumulative;
    private readonly float[] _logExpected;
    private readonly Random _random;
    private readonly int[] _sample;
    private readonly float[] _negativeTable;
    private readonly float[] _negativeGrad;
    private readonly float[] _logits;
    private float[] _hidden = [];
    private float[] _hiddenGrad = [];
    private int[] _targets = [];
    private int[] _slots = [];

    public SampledSoftmaxLoss(ReadOnlySpan<int> itemCounts, int dimension, int negatives, int seed)
    {
        _dimension = dimension;
        _negatives = negatives;
        _cumulative = new double[itemCounts.Length];
        _logExpected = new float[itemCounts.Length];
        double total = 0;
        foreach (var count in itemCounts)
        {
            total += count + 1;
        }
        double running = 0;
        for (var i = 0; i < itemCounts.Length; i++)
        {
            var q = (itemCounts[i] + 1) / total;
            running += q;
            _cumulative[i] = running;
            _logExpected[i] = (float)Math.Log(negatives * q);
        }
        _random = new Random(seed);
        _sample = new int[negatives];
        _negativeTable = new float[negatives * dimension];
        _negativeGrad = new float[negatives * dimension];
        _logits = new float[ChunkRows * (negatives + 1)];
    }

    public double LastFlops { get; private set; }

    public double Compute(TransformerBatch batch, NnParameter itemTable, int threads)
    {
        int d = _dimension, width = _negatives + 1;
        var n = SequenceLosses.Gather(batch, d, ref _hidden, ref _targets, ref _slots);
        if (_hiddenGrad.Length < _hidden.Length)
        {
            _hiddenGrad = new float[_hidden.Length];
        }
        var table = itemTable.Value;
        for (var j = 0; j < _negatives; j++)
        {
            var u = _random.NextDouble() * _cumulative[^1];
            var item = Array.BinarySearch(_cumulative, u);
            _sample[j] = Math.Min(item < 0 ? ~item : item, _cumulative.Length - 1);
            table.AsSpan(_sample[j] * d, d).CopyTo(_negativeTable.AsSpan(j * d, d));
        }
        Array.Clear(_negativeGrad);
        Span<int> zero = stackalloc int[ChunkRows];
        zero.Clear();
        double total = 0;
        for (var start = 0; start < n; start += ChunkRows)
        {
            var rows = Math.Min(ChunkRows, n - start);
            var h = _hidden.AsSpan(start * d, rows * d);
            var logits = _logits.AsSpan(0, rows * width);
            Gemm.Multiply(false, true, rows, _negatives, d, 1f, h, d, _negativeTable, d, 0f, logits[1..], width, threads);
            for (var r = 0; r < rows; r++)
            {
                var target = _targets[start + r];
                var row = logits.Slice(r * width, width);
                row[0] = TensorPrimitives.Dot(h.Slice(r * d, d), table.AsSpan(target * d, d)) - _logExpected[target];
                for (var j = 0; j < _negatives; j++)
                {
                    row[j + 1] = _sample[j] == target ? float.NegativeInfinity : row[j + 1] - _logExpected[_sample[j]];
                }
            }
            total += CrossEntropy.Compute(logits, zero[..rows], rows, width, logits) * rows;
            var factor = (float)rows / n;
            var dh = _hiddenGrad.AsSpan(start * d, rows * d);
            Gemm.Multiply(false, false, rows, d, _negatives, factor, logits[1..], width, _negativeTable, d, 0f, dh, d, threads);
            Gemm.Multiply(true, false, _negatives, d, rows, factor, logits[1..], width, h, d, 1f, _negativeGrad, d, threads);
            for (var r = 0; r < rows; r++)
            {
                var target = _targets[start + r];
                var g = logits[r * width] * factor;
                var dhRow = dh.Slice(r * d, d);
                TensorPrimitives.MultiplyAdd(table.AsSpan(target * d, d), g, dhRow, dhRow);
                var gradRow = itemTable.Grad.AsSpan(target * d, d);
                TensorPrimitives.MultiplyAdd(h.Slice(r * d, d), g, gradRow, gradRow);
            }
        }
        for (var j = 0; j < _negatives; j++)
        {
            var gradRow = itemTable.Grad.AsSpan(_sample[j] * d, d);
            TensorPrimitives.Add(gradRow, _negativeGrad.AsSpan(j * d, d), gradRow);
        }
        LastFlops = 6.0 * n * _negatives * d;
        SequenceLosses.Scatter(batch, d, _hiddenGrad, _slots.AsSpan(0, n));
        return n == 0 ? 0 : total / n;
    }
}
