using Fresco.Core.Linalg;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// Next-item cross-entropy over the whole catalog with the tied item table as the output layer. Only slots with
/// a target are scored, gathered into a compact matrix and processed in chunks of rows so that the logits
/// buffer stays bounded. Not thread-safe: one batch at a time.
/// </summary>
internal sealed class FullSoftmaxLoss : ISequenceLoss
{
    private const int ChunkRows = 512;

    private readonly int _items;
    private readonly int _dimension;
    private readonly float[] _logits;
    private float[] _hidden = [];
    private float[] _hiddenGrad = [];
    private int[] _targets = [];
    private int[] _slots = [];

    public FullSoftmaxLoss(int items, int dimension)
    {
        _items = items;
        _dimension = dimension;
        _logits = new float[ChunkRows * items];
    }

    /// <summary>Floating-point operations of the last <see cref="Compute"/> (for GFLOP/s reports).</summary>
    public double LastFlops { get; private set; }

    public double Compute(TransformerBatch batch, NnParameter itemTable, int threads)
    {
        var d = _dimension;
        var n = SequenceLosses.Gather(batch, d, ref _hidden, ref _targets, ref _slots);
        if (_hiddenGrad.Length < _hidden.Length)
        {
            _hiddenGrad = new float[_hidden.Length];
        }
        double total = 0;
        for (var start = 0; start < n; start += ChunkRows)
        {
            var rows = Math.Min(ChunkRows, n - start);
            var h = _hidden.AsSpan(start * d, rows * d);
            var logits = _logits.AsSpan(0, rows * _items);
            Gemm.Multiply(false, true, rows, _items, d, 1f, h, d, itemTable.Value, d, 0f, logits, _items, threads);
            total += CrossEntropy.Compute(logits, _targets.AsSpan(start, rows), rows, _items, logits) * rows;
            var factor = (float)rows / n;
            Gemm.Multiply(false, false, rows, d, _items, factor, logits, _items, itemTable.Value, d, 0f, _hiddenGrad.AsSpan(start * d, rows * d), d, threads);
            Gemm.Multiply(true, false, _items, d, rows, factor, logits, _items, h, d, 1f, itemTable.Grad, d, threads);
        }
        LastFlops = 6.0 * n * _items * d;
        SequenceLosses.Scatter(batch, d, _hiddenGrad, _slots.AsSpan(0, n));
        return n == 0 ? 0 : total / n;
    }
}
