using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Models.Factors;

namespace Fresco.Models.Als;

/// <summary>
/// Implicit alternating least squares (Hu, Koren, Volinsky 2008): confidence <c>1 + alpha w</c>, preference
/// 1 for every observed pair, 0 otherwise; each sweep solves all users against fixed items, then all items
/// against fixed users, rows in parallel. Every row's solve depends only on the other side's factors, so the
/// result is the same for any thread count. Memory: the matrix and its transpose, both factor matrices and
/// O(threads x factors^2) scratch. Thread-safe (static).
/// </summary>
public static class AlsTrainer
{
    private const int RowsPerTask = 128;

    /// <summary>
    /// Trains a model. When <see cref="TrainingContext.WarmStart"/> is an <see cref="AlsModel"/> with the same
    /// factor count, its first users and items (indices are stable and only appended) start from its vectors
    /// and only new rows start at random.
    /// </summary>
    public static AlsModel Train(TrainingContext context)
    {
        var options = (AlsOptions)context.Options;
        options.Validate();
        var userItems = context.Data.UserItems;
        var itemUsers = userItems.Transpose();
        var dim = options.Factors;
        var users = new float[(long)userItems.Rows * dim];
        var items = new float[(long)userItems.Columns * dim];
        var random = new Random(options.Seed);
        Initialize(users, random);
        Initialize(items, random);
        if (context.WarmStart is AlsModel previous && previous.Factors == dim)
        {
            CopyPrefix(previous.UserFactors, users);
            CopyPrefix(previous.ItemFactors, items);
        }
        var reg = (float)options.Regularization;
        var alpha = (float)options.Alpha;
        var threads = options.EffectiveThreads;
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            SolveSide(users, userItems, items, options, threads);
            SolveSide(items, itemUsers, users, options, threads);
            context.Progress?.Report(new TrainingProgress("als", iteration + 1, options.Iterations));
        }
        var gram = AlsSolver.RegularizedGram(items, userItems.Columns, dim, reg, threads);
        return new AlsModel(new FactorModelBody(dim, users, items, null, options.ToDictionary(), options.Quantize), gram, reg, alpha);
    }

    /// <summary>One half-sweep: every row of <paramref name="target"/> solved against fixed <paramref name="other"/>.</summary>
    internal static void SolveSide(float[] target, CsrMatrix matrix, float[] other, AlsOptions options, int threads)
    {
        var dim = options.Factors;
        var reg = (float)options.Regularization;
        var alpha = (float)options.Alpha;
        var exact = options.Solver == "cholesky";
        var steps = options.CgSteps;
        var gram = AlsSolver.RegularizedGram(other, matrix.Columns, dim, reg, threads);
        var tasks = (matrix.Rows + RowsPerTask - 1) / RowsPerTask;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, tasks, parallel, () => new float[Math.Max(3 * dim, AlsSolver.ExactScratch(dim))], (task, _, scratch) =>
        {
            var end = Math.Min(matrix.Rows, (task + 1) * RowsPerTask);
            for (var row = task * RowsPerTask; row < end; row++)
            {
                var x = target.AsSpan(row * dim, dim);
                if (exact)
                {
                    AlsSolver.SolveExact(other, dim, gram, matrix.RowIndices(row), matrix.RowValues(row), alpha, x, scratch);
                }
                else
                {
                    AlsSolver.SolveCg(other, dim, gram, matrix.RowIndices(row), matrix.RowValues(row), alpha, steps, x, scratch);
                }
            }
            return scratch;
        }, static _ => { });
    }

    private static void Initialize(Span<float> factors, Random random)
    {
        for (var i = 0; i < factors.Length; i++)
        {
            factors[i] = random.NextSingle() * 0.01f;
        }
    }

    private static void CopyPrefix(ReadOnlySpan<float> previous, Span<float> current) =>
        previous[..Math.Min(previous.Length, current.Length)].CopyTo(current);
}
