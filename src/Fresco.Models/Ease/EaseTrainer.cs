using Fresco.Core.Linalg;
using Fresco.Core.Models;

namespace Fresco.Models.Ease;

/// <summary>
/// Fits EASE in closed form: P = (X^T X + lambda I)^-1 and B = I - P diag(1/diag(P)), whose diagonal is zero.
/// The Gram matrix is accumulated sparsely; the inverse is a blocked Cholesky (O(items^3), at GEMM speed).
/// Thread-safe (static).
/// </summary>
public static class EaseTrainer
{
    public static EaseModel Train(TrainingContext context)
    {
        var options = (EaseOptions)context.Options;
        var matrix = context.Data.UserItems;
        var items = matrix.Columns;
        if (items > options.MaxItems)
        {
            throw new OptionException(
                $"EASE needs an items x items matrix; {items} items exceed max_items={options.MaxItems} (raise it up to {EaseOptions.ItemLimit} if memory allows: about {8.0 * items * items / (1 << 30):F1} GiB to train).");
        }
        var threads = options.EffectiveThreads;
        var weights = new float[items * items];
        context.Progress?.Report(new TrainingProgress("gram", 0, 3));
        SparseGram.Compute(matrix, weights, threads);
        var lambda = EffectiveLambda(options, matrix);
        var dropout = options.Dropout / (1.0 - options.Dropout);
        for (var i = 0; i < items; i++)
        {
            var diagonal = weights[i * items + i];
            weights[i * items + i] = (float)(diagonal + lambda + (dropout * diagonal));
        }
        context.CancellationToken.ThrowIfCancellationRequested();
        context.Progress?.Report(new TrainingProgress("inverse", 1, 3));
        if (!Cholesky.InvertSpd(weights, items, threads))
        {
            throw new InvalidOperationException($"X^T X + lambda I is not numerically positive definite; raise lambda (now {lambda}).");
        }
        context.Progress?.Report(new TrainingProgress("weights", 2, 3));
        // B[i, j] = -P[i, j] / P[j, j]; row i is what item i contributes to every item's score.
        var scale = new float[items];
        for (var j = 0; j < items; j++)
        {
            scale[j] = -1f / weights[j * items + j];
        }
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var row = weights.AsSpan(i * items, items);
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, scale, row);
            row[i] = 0f;
        });
        context.Progress?.Report(new TrainingProgress("weights", 3, 3));
        return new EaseModel(items, weights, options.ToDictionary());
    }

    /// <summary>The lambda a fit uses: the option when set, else lambda_scale x mean interactions per active user.</summary>
    public static double EffectiveLambda(EaseOptions options, Fresco.Core.Data.CsrMatrix userItems)
    {
        if (options.Lambda > 0)
        {
            return options.Lambda;
        }
        var activeUsers = 0;
        for (var u = 0; u < userItems.Rows; u++)
        {
            activeUsers += userItems.RowLength(u) > 0 ? 1 : 0;
        }
        return options.LambdaScale * Math.Max(1.0, (double)userItems.NonZeros / Math.Max(1, activeUsers));
    }
}
