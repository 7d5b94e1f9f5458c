using Fresco.Core.Data;
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
        var matrix = NormalizeUsers(context.Data.UserItems, options.UserExponent);
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
        if (!Cholesky.InvertSpd(weights, items, threads, context.CancellationToken))
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

    /// <summary>
    /// The lambda a fit uses: the option when set, else lambda_scale x the mean over active users of their row's
    /// sum of squared values (the number of interactions for 0/1 data) in the matrix the Gram is built from.
    /// </summary>
    public static double EffectiveLambda(EaseOptions options, CsrMatrix userItems)
    {
        if (options.Lambda > 0)
        {
            return options.Lambda;
        }
        var activeUsers = 0;
        double total = 0;
        for (var u = 0; u < userItems.Rows; u++)
        {
            activeUsers += userItems.RowLength(u) > 0 ? 1 : 0;
            total += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(userItems.RowValues(u));
        }
        return options.LambdaScale * (activeUsers > 0 && total > 0 ? total / activeUsers : 1.0);
    }

    /// <summary>Rows scaled by (row length)^-exponent; the same matrix when the exponent is 0.</summary>
    internal static CsrMatrix NormalizeUsers(CsrMatrix userItems, double exponent)
    {
        if (exponent == 0)
        {
            return userItems;
        }
        var values = userItems.Values.ToArray();
        for (var u = 0; u < userItems.Rows; u++)
        {
            var start = (int)userItems.RowPointers[u];
            var length = userItems.RowLength(u);
            var row = values.AsSpan(start, length);
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, (float)Math.Pow(Math.Max(1, length), -exponent), row);
        }
        return new CsrMatrix(userItems.Rows, userItems.Columns, userItems.RowPointers.ToArray(), userItems.ColumnIndices.ToArray(), values);
    }
}
