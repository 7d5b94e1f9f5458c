using System.Numerics.Tensors;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// Structured magnitude pruning of a trained <see cref="TransformerNetwork"/>: every block keeps the most important
/// (1 - ratio) of its feed-forward units and of each head's query/key columns and value/output columns, and the
/// smaller matrices are what is stored and served (the item table, positions and norms are kept whole).
/// Importance is weight magnitude with the preceding layer norm folded in, the input taken as the norm's output
/// with unit-variance, independent entries: a query/key column pair scores rms(q_j) x std(k_j) (the constant part
/// of a key does not change the softmax), a value/output pair std(v_j) x |Wo row j|, a feed-forward unit
/// std(gelu(z_j)) x |W2 row j|. What a removed value column or unit adds on average (its bias through the
/// attention weights, which sum to 1; E[gelu(z_j)]) is folded into the next bias, and the kept query columns are
/// rescaled for the narrower heads' 1/sqrt(width) so their scores do not change. Thread-safe (static).
/// </summary>
internal static class StructuredPruning
{
    // 5-point Gauss-Hermite rule for the standard normal: nodes 0, ±sqrt(5 - sqrt(10)), ±sqrt(5 + sqrt(10)).
    private static readonly float[] s_nodes = [0f, 1.3556262f, -1.3556262f, 2.8569700f, -2.8569700f];
    private static readonly float[] s_weights = [0.53333333f, 0.22207592f, 0.22207592f, 0.011257411f, 0.011257411f];

    /// <summary>The widths a block keeps at <paramref name="ratio"/>: attention (a multiple of the heads) and feed-forward.</summary>
    public static (int Attention, int FeedForward) KeptWidths(TransformerBlock block, double ratio)
    {
        var perHead = block.AttentionWidth / block.Heads;
        var attention = block.Heads * Math.Max(1, (int)Math.Round(perHead * (1 - ratio)));
        var feedForward = Math.Max(1, (int)Math.Round(block.HiddenSize * (1 - ratio)));
        return (attention, feedForward);
    }

    /// <summary>A new network with every block pruned by <paramref name="ratio"/> (0 &lt;= ratio &lt; 1); the input is not changed.</summary>
    public static TransformerNetwork Prune(TransformerNetwork network, double ratio)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratio);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ratio, 1.0);
        var first = network.Blocks[0];
        var (attention, feedForward) = KeptWidths(first, ratio);
        var pruned = new TransformerNetwork(
            network.Items, network.Dimension, network.Blocks.Length, first.Heads, feedForward, network.MaxLength, seed: 0, attention);
        network.ItemTable.Value.CopyTo(pruned.ItemTable.Value, 0);
        network.PositionTable.Value.CopyTo(pruned.PositionTable.Value, 0);
        network.FinalGain.Value.CopyTo(pruned.FinalGain.Value, 0);
        network.FinalBias.Value.CopyTo(pruned.FinalBias.Value, 0);
        for (var b = 0; b < network.Blocks.Length; b++)
        {
            PruneBlock(network.Blocks[b], pruned.Blocks[b]);
        }
        return pruned;
    }

    private static void PruneBlock(TransformerBlock source, TransformerBlock target)
    {
        float[] P(int index) => source.Parameters[index].Value;
        float[] T(int index) => target.Parameters[index].Value;
        int d = source.Dimension, w = source.AttentionWidth, f = source.HiddenSize, heads = source.Heads;
        int perHead = w / heads, keptPerHead = target.AttentionWidth / heads;
        foreach (var same in new[] { 0, 1, 10, 11 })
        {
            P(same).CopyTo(T(same), 0);
        }
        var (gain1, bias1, gain2, bias2) = (P(0), P(1), P(10), P(11));
        var queryKey = new List<int>(target.AttentionWidth);
        var valueOutput = new List<int>(target.AttentionWidth);
        var outputBias = (float[])P(9).Clone();
        for (var h = 0; h < heads; h++)
        {
            var columns = Enumerable.Range(h * perHead, perHead).ToArray();
            queryKey.AddRange(Keep(columns, keptPerHead, j =>
                Math.Sqrt(Square(Deviation(P(2), w, gain1, j)) + Square(Mean(P(2), P(3), w, bias1, j))) * Deviation(P(4), w, gain1, j)));
            var values = Keep(columns, keptPerHead, j => Deviation(P(6), w, gain1, j) * RowNorm(P(8), d, j));
            valueOutput.AddRange(values);
            foreach (var j in columns.Except(values))
            {
                AddRow(outputBias, P(8), d, j, (float)Mean(P(6), P(7), w, bias1, j));
            }
        }
        CopyColumns(P(2), d, w, queryKey, T(2));
        CopyColumns(P(4), d, w, queryKey, T(4));
        // Attention scales q.k by 1/sqrt(head width): keep the scores of the kept columns as they were.
        var rescale = MathF.Sqrt((float)keptPerHead / perHead);
        CopyColumns(P(6), d, w, valueOutput, T(6));
        Gather(P(3), queryKey, T(3));
        TensorPrimitives.Multiply(T(2), rescale, T(2));
        TensorPrimitives.Multiply(T(3), rescale, T(3));
        Gather(P(5), queryKey, T(5));
        Gather(P(7), valueOutput, T(7));
        CopyRows(P(8), d, valueOutput, T(8));
        outputBias.CopyTo(T(9), 0);

        var (expected, deviation) = (new double[f], new double[f]);
        for (var j = 0; j < f; j++)
        {
            (expected[j], deviation[j]) = GeluMoments(Mean(P(12), P(13), f, bias2, j), Deviation(P(12), f, gain2, j));
        }
        var units = Keep([.. Enumerable.Range(0, f)], target.HiddenSize, j => deviation[j] * RowNorm(P(14), d, j));
        var ffnBias = (float[])P(15).Clone();
        foreach (var j in Enumerable.Range(0, f).Except(units))
        {
            AddRow(ffnBias, P(14), d, j, (float)expected[j]);
        }
        CopyColumns(P(12), d, f, units, T(12));
        Gather(P(13), units, T(13));
        CopyRows(P(14), d, units, T(14));
        ffnBias.CopyTo(T(15), 0);
    }

    /// <summary>The <paramref name="count"/> most important of <paramref name="candidates"/>, in their original order.</summary>
    private static int[] Keep(int[] candidates, int count, Func<int, double> importance) =>
        [.. candidates.OrderByDescending(importance).ThenBy(j => j).Take(count).Order()];

    /// <summary>Standard deviation of column j of <c>(gain * n) W</c> for n with independent unit-variance entries.</summary>
    private static double Deviation(float[] weight, int columns, float[] gain, int j)
    {
        double sum = 0;
        for (var i = 0; i < gain.Length; i++)
        {
            sum += Square(gain[i] * weight[(i * columns) + j]);
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Mean of column j of <c>(gain * n + bias) W + b</c>: <c>bias . W[:, j] + b[j]</c>.</summary>
    private static double Mean(float[] weight, float[] b, int columns, float[] normBias, int j)
    {
        double sum = b[j];
        for (var i = 0; i < normBias.Length; i++)
        {
            sum += normBias[i] * weight[(i * columns) + j];
        }
        return sum;
    }

    private static double RowNorm(float[] weight, int columns, int row)
    {
        double sum = 0;
        for (var c = 0; c < columns; c++)
        {
            sum += Square(weight[(row * columns) + c]);
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Mean and standard deviation of gelu(z) for z ~ N(mean, deviation^2), by Gauss-Hermite quadrature.</summary>
    private static (double Mean, double Deviation) GeluMoments(double mean, double deviation)
    {
        Span<float> z = stackalloc float[s_nodes.Length];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = (float)(mean + (deviation * s_nodes[i]));
        }
        Gelu.Forward(z, z);
        double first = 0, second = 0;
        for (var i = 0; i < z.Length; i++)
        {
            first += s_weights[i] * z[i];
            second += s_weights[i] * z[i] * z[i];
        }
        return (first, Math.Sqrt(Math.Max(0, second - (first * first))));
    }

    private static void AddRow(float[] target, float[] weight, int columns, int row, float scale)
    {
        for (var c = 0; c < columns; c++)
        {
            target[c] += scale * weight[(row * columns) + c];
        }
    }

    private static void CopyColumns(float[] source, int rows, int columns, IReadOnlyList<int> kept, float[] target)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < kept.Count; k++)
            {
                target[(r * kept.Count) + k] = source[(r * columns) + kept[k]];
            }
        }
    }

    private static void CopyRows(float[] source, int columns, IReadOnlyList<int> kept, float[] target)
    {
        for (var k = 0; k < kept.Count; k++)
        {
            source.AsSpan(kept[k] * columns, columns).CopyTo(target.AsSpan(k * columns, columns));
        }
    }

    private static void Gather(float[] source, IReadOnlyList<int> kept, float[] target)
    {
        for (var k = 0; k < kept.Count; k++)
        {
            target[k] = source[kept[k]];
        }
    }

    private static double Square(double x) => x * x;
}
