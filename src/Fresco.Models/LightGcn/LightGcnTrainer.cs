using System.Numerics.Tensors;
using Fresco.Core.Models;
using Fresco.Core.Nn;
using Fresco.Models.Bpr;
using Fresco.Models.Factors;

namespace Fresco.Models.LightGcn;

/// <summary>
/// Trains LightGCN (He et al. 2020): layer-0 user and item embeddings, propagated K times over the normalised graph
/// with no feature transform and no non-linearity, averaged over layers 0..K; BPR loss on (user, positive, uniform
/// negative) triples with an L2 penalty on the batch's layer-0 rows; Adam. Each step propagates the whole graph
/// forward and its gradient back (the propagation is symmetric, so the backward pass is the same smoothing applied
/// to the gradient of the final embeddings): O(K x interactions x factors) per step, on every core. Deterministic
/// for a given seed and any thread count (rows are propagated independently; the batch gradient is summed in
/// order). Memory: the graph both ways, and 10 x (users + items) x factors floats. Thread-safe (static).
/// </summary>
public static class LightGcnTrainer
{
    public static LightGcnModel Train(TrainingContext context)
    {
        var options = (LightGcnOptions)context.Options;
        options.Validate();
        var graph = LightGcnGraph.Create(context.Data.UserItems);
        var (users, items, dim) = (graph.UserItems.Rows, graph.UserItems.Columns, options.Factors);
        var userBase = new NnParameter("users", users * dim, decay: false);
        var itemBase = new NnParameter("items", items * dim, decay: false);
        var random = new SplitMix((ulong)options.Seed);
        Initialize(userBase.Value, ref random);
        Initialize(itemBase.Value, ref random);

        var smoothing = new LayerMean(graph, dim, options.Layers, options.EffectiveThreads);
        var (userFinal, itemFinal) = (new float[users * dim], new float[items * dim]);
        var (userGrad, itemGrad) = (new float[users * dim], new float[items * dim]);
        var adam = new AdamW([userBase, itemBase], (float)options.LearningRate, weightDecay: 0f);
        var pairs = (int)graph.UserItems.NonZeros;
        var batch = new Triple[Math.Min(options.BatchSize, Math.Max(1, pairs))];
        var steps = pairs == 0 || items < 2 ? 0 : (pairs + batch.Length - 1) / batch.Length;
        for (var epoch = 0; epoch < options.Epochs && steps > 0; epoch++)
        {
            var loss = 0.0;
            for (var step = 0; step < steps; step++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                Sample(graph, batch, ref random);
                smoothing.Apply(userBase.Value, itemBase.Value, userFinal, itemFinal);
                Array.Clear(userGrad);
                Array.Clear(itemGrad);
                loss += BprGradient(batch, userFinal, itemFinal, userGrad, itemGrad, dim);
                smoothing.Apply(userGrad, itemGrad, userBase.Grad, itemBase.Grad);
                AddPenalty(batch, userBase, itemBase, dim, (float)options.Regularization / batch.Length);
                adam.Step();
            }
            context.Progress?.Report(new TrainingProgress("lightgcn", epoch + 1, options.Epochs, loss / steps));
        }
        smoothing.Apply(userBase.Value, itemBase.Value, userFinal, itemFinal);
        return new LightGcnModel(new FactorModelBody(dim, userFinal, itemFinal, null, options.ToDictionary(), options.Quantize), ItemScale(graph));
    }

    /// <summary>Mean BPR loss of the batch; adds its gradient with respect to the final embeddings.</summary>
    private static double BprGradient(Triple[] batch, float[] userFinal, float[] itemFinal, float[] userGrad, float[] itemGrad, int dim)
    {
        var loss = 0.0;
        var scale = 1f / batch.Length;
        foreach (var (user, positive, negative) in batch)
        {
            var u = userFinal.AsSpan(user * dim, dim);
            var i = itemFinal.AsSpan(positive * dim, dim);
            var j = itemFinal.AsSpan(negative * dim, dim);
            var x = TensorPrimitives.Dot(u, i) - TensorPrimitives.Dot(u, j);
            // d/dx of -log sigmoid(x) is -sigmoid(-x); log(1 + e^-x) computed stably.
            loss += x > 0 ? Math.Log(1 + Math.Exp(-x)) : -x + Math.Log(1 + Math.Exp(x));
            var g = -scale / (1f + MathF.Exp(x));
            var gu = userGrad.AsSpan(user * dim, dim);
            TensorPrimitives.MultiplyAdd(i, g, gu, gu);
            TensorPrimitives.MultiplyAdd(j, -g, gu, gu);
            var gi = itemGrad.AsSpan(positive * dim, dim);
            TensorPrimitives.MultiplyAdd(u, g, gi, gi);
            var gj = itemGrad.AsSpan(negative * dim, dim);
            TensorPrimitives.MultiplyAdd(u, -g, gj, gj);
        }
        return loss / batch.Length;
    }

    /// <summary>lambda / batch x the layer-0 row of every user and item in a triple (the paper's batch L2 term).</summary>
    private static void AddPenalty(Triple[] batch, NnParameter users, NnParameter items, int dim, float lambda)
    {
        if (lambda == 0f)
        {
            return;
        }
        foreach (var (user, positive, negative) in batch)
        {
            AddRow(users, user, dim, lambda);
            AddRow(items, positive, dim, lambda);
            AddRow(items, negative, dim, lambda);
        }
    }

    private static void AddRow(NnParameter parameter, int row, int dim, float lambda)
    {
        var grad = parameter.Grad.AsSpan(row * dim, dim);
        TensorPrimitives.MultiplyAdd(parameter.Value.AsSpan(row * dim, dim), lambda, grad, grad);
    }

    /// <summary>Uniform observed pairs, each with a uniform item the user has not interacted with (a few tries).</summary>
    private static void Sample(LightGcnGraph graph, Triple[] batch, ref SplitMix random)
    {
        var matrix = graph.UserItems;
        var pointers = matrix.RowPointers;
        var columns = matrix.ColumnIndices;
        for (var b = 0; b < batch.Length; b++)
        {
            var pair = random.Below((int)matrix.NonZeros);
            var user = UserOf(pointers, pair);
            var row = matrix.RowIndices(user);
            var negative = random.Below(matrix.Columns);
            for (var attempt = 0; attempt < 8 && row.BinarySearch(negative) >= 0; attempt++)
            {
                negative = random.Below(matrix.Columns);
            }
            batch[b] = new Triple(user, columns[pair], negative);
        }
    }

    /// <summary>The row whose range of the pointer array holds <paramref name="pair"/>.</summary>
    private static int UserOf(ReadOnlySpan<long> pointers, long pair)
    {
        var (low, high) = (0, pointers.Length - 2);
        while (low < high)
        {
            var mid = (low + high + 1) >> 1;
            if (pointers[mid] <= pair)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    private static float[] ItemScale(LightGcnGraph graph)
    {
        var scale = new float[graph.ItemUsers.Rows];
        for (var i = 0; i < scale.Length; i++)
        {
            var degree = graph.ItemUsers.RowLength(i);
            scale[i] = degree > 0 ? 1f / MathF.Sqrt(degree) : 0f;
        }
        return scale;
    }

    /// <summary>Normal(0, 0.1) by Box-Muller, as in the paper's code.</summary>
    private static void Initialize(float[] values, ref SplitMix random)
    {
        for (var k = 0; k < values.Length; k++)
        {
            var u1 = ((random.Next() >> 11) + 1) * (1.0 / (1UL << 53));
            var u2 = (random.Next() >> 11) * (1.0 / (1UL << 53));
            values[k] = (float)(0.1 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    private readonly record struct Triple(int User, int Positive, int Negative);
}
