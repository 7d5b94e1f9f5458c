using System.Numerics.Tensors;
using Fresco.Core.Models;
using Fresco.Core.Nn;
using Fresco.Models.Bpr;
using Fresco.Models.Factors;

namespace Fresco.Models.LightGcn;

/// <summary>
/// Trains LightGCN (He et al. 2020): layer-0 user and item embeddings, propagated K times over the normalised graph
/// with no feature transform and no non-linearity, averaged over layers 0..K; BPR loss on (user, positive, uniform
/// negative) triples (<see cref="BprLoss"/>) or SimpleX's cosine contrastive loss with many shared negatives
/// (<see cref="CosineContrastiveLoss"/>; with <c>layers=0</c> and <c>user_weight</c> below 1, SimpleX itself: the user
/// row mixes in the mean of the user's items through <see cref="UserTower"/>) or a sampled softmax over cosines
/// (<see cref="SampledSoftmaxLoss"/>), both on the GEMM of <see cref="CosineLoss"/> (their served rows are normalised so
/// that the dot product is the cosine); with an L2 penalty on the batch's layer-0 rows;
/// Adam. Each step propagates the whole graph forward and its gradient back (the propagation is symmetric, so the
/// backward pass is the same smoothing applied to the gradient of the final embeddings): O(K x interactions x
/// factors) per step, on every core; with a cosine loss, O(batch x negatives x factors) more per step. Deterministic
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
        var pairs = (int)graph.UserItems.NonZeros;
        var batchSize = Math.Min(options.BatchSize, Math.Max(1, pairs));
        var tower = options.UserWeight < 1
            ? new UserTower(graph.UserItems, batchSize, dim, (float)options.UserWeight, options.EffectiveThreads)
            : null;
        var loss = CreateLoss(options, graph, batchSize, tower);
        var adam = new AdamW(tower is null ? [userBase, itemBase] : [userBase, itemBase, tower.Map], (float)options.LearningRate, weightDecay: 0f);
        var steps = pairs == 0 || items < 2 ? 0 : (pairs + loss.BatchSize - 1) / loss.BatchSize;
        var lambda = (float)options.Regularization / loss.BatchSize;
        for (var epoch = 0; epoch < options.Epochs && steps > 0; epoch++)
        {
            var total = 0.0;
            for (var step = 0; step < steps; step++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                loss.Sample(ref random);
                smoothing.Apply(userBase.Value, itemBase.Value, userFinal, itemFinal);
                Array.Clear(userGrad);
                Array.Clear(itemGrad);
                total += loss.Gradient(userFinal, itemFinal, userGrad, itemGrad);
                smoothing.Apply(userGrad, itemGrad, userBase.Grad, itemBase.Grad);
                if (lambda > 0f)
                {
                    loss.AddPenalty(userBase, itemBase, lambda);
                }
                adam.Step();
            }
            context.Progress?.Report(new TrainingProgress("lightgcn", epoch + 1, options.Epochs, total / steps));
        }
        smoothing.Apply(userBase.Value, itemBase.Value, userFinal, itemFinal);
        float[]? mappedItems = null;
        if (tower is not null)
        {
            mappedItems = tower.MappedItems(itemFinal);
            userFinal = tower.AllUsers(userFinal, itemFinal);
        }
        if (loss is CosineLoss)
        {
            // Trained on cosines: unit rows make the served dot product the cosine.
            Normalize(userFinal, dim);
            Normalize(itemFinal, dim);
        }
        var body = new FactorModelBody(dim, userFinal, itemFinal, null, options.ToDictionary(), options.Quantize);
        return new LightGcnModel(body, ItemScale(graph), mappedItems);
    }

    private static IGraphLoss CreateLoss(LightGcnOptions options, LightGcnGraph graph, int batchSize, UserTower? tower)
    {
        var setup = new CosineSetup(graph.UserItems, batchSize, options.Negatives, options.Factors, options.EffectiveThreads)
        {
            Tower = tower,
            Dropout = (float)options.Dropout,
        };
        return options.Loss switch
        {
            "cosine" => new CosineContrastiveLoss(setup, (float)options.Margin, (float)options.NegativeWeight),
            "softmax" => new SampledSoftmaxLoss(setup, (float)options.Temperature),
            _ => new BprLoss(graph.UserItems, batchSize, options.Factors),
        };
    }

    private static void Normalize(float[] rows, int dim)
    {
        for (var at = 0; at < rows.Length; at += dim)
        {
            var row = rows.AsSpan(at, dim);
            var norm = TensorPrimitives.Norm(row);
            if (norm > 0f)
            {
                TensorPrimitives.Multiply(row, 1f / norm, row);
            }
        }
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
}
