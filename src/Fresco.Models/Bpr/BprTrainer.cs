using System.Runtime.Intrinsics.X86;
using Fresco.Core.Data;
using Fresco.Core.Linalg;
using Fresco.Core.Models;
using Fresco.Models.Factors;

namespace Fresco.Models.Bpr;

/// <summary>
/// Bayesian personalized ranking (Rendle et al. 2009) by stochastic gradient descent with an item bias: each
/// epoch draws one (user, positive, negative) triple per interaction, the positive uniformly among the
/// interactions, the negative uniformly among items (re-drawn while it is one of the user's positives, found
/// by binary search in the user's row). The step size falls linearly from <c>learning_rate</c> to 0 over the
/// epochs (annealing: the last epochs settle rather than wander). Parallel without locks through <see cref="BprStrata"/>: with
/// <c>threads</c> = T the data is cut into T x T strata and T disjoint strata run at once, each with its own
/// seeded generator, so a run is bit-reproducible for a given seed and thread count (a negative is drawn from
/// the positive's item block). Thread-safe (static).
/// </summary>
public static class BprTrainer
{
    private const int NegativeTries = 16;

    /// <summary>Trains a model; a <see cref="BprModel"/> warm start with the same factor count seeds the first users and items.</summary>
    public static BprModel Train(TrainingContext context)
    {
        var options = (BprOptions)context.Options;
        options.Validate();
        var matrix = context.Data.UserItems;
        var dim = options.Factors;
        var users = new float[(long)matrix.Rows * dim];
        var items = new float[(long)matrix.Columns * dim];
        var bias = new float[matrix.Columns];
        var random = new Random(options.Seed);
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = (random.NextSingle() - 0.5f) / dim;
        }
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = (random.NextSingle() - 0.5f) / dim;
        }
        if (context.WarmStart is BprModel previous && previous.Factors == dim)
        {
            previous.UserFactors[..Math.Min(previous.UserFactors.Length, users.Length)].CopyTo(users);
            previous.ItemFactors[..Math.Min(previous.ItemFactors.Length, items.Length)].CopyTo(items);
            previous.ItemBias[..Math.Min(previous.ItemBias.Length, bias.Length)].CopyTo(bias);
        }
        var blocks = Math.Max(1, Math.Min(options.EffectiveThreads, Math.Min(matrix.Rows, matrix.Columns)));
        var strata = BprStrata.Build(matrix, blocks);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = blocks };
        var lr = (float)options.LearningRate;
        var reg = (float)options.Regularization;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var correct = 0L;
            for (var shift = 0; shift < blocks; shift++)
            {
                var round = (long)epoch * blocks + shift;
                var epochRate = lr * (1f - (epoch + 0.5f) / options.Epochs);
                Parallel.For(0, blocks, parallel, t =>
                {
                    var seed = SplitMix.Mix((ulong)(uint)options.Seed ^ SplitMix.Mix((ulong)round * 1024 + (ulong)t));
                    var hits = RunStratum(matrix, strata, t, (t + shift) % blocks, users, items, bias, dim, epochRate, reg, seed);
                    Interlocked.Add(ref correct, hits);
                });
            }
            context.Progress?.Report(new TrainingProgress("bpr", epoch + 1, options.Epochs, (double)correct / Math.Max(1, matrix.NonZeros)));
        }
        return new BprModel(new FactorModelBody(dim, users, items, bias, options.ToDictionary()));
    }

    private static unsafe long RunStratum(
        CsrMatrix matrix, BprStrata strata, int userBlock, int itemBlock, float[] users, float[] items, float[] bias, int dim, float lr, float reg, ulong seed)
    {
        var stratum = strata.Stratum(userBlock, itemBlock);
        var candidates = strata.BlockItems[itemBlock];
        if (stratum.Length == 0 || candidates.Length == 0)
        {
            return 0;
        }
        var rng = new SplitMix(seed);
        var hits = 0L;
        // One sample ahead: its rows are prefetched while the current one is computed (the factor rows are
        // random reads from arrays far larger than the caches).
        var nextPair = stratum[rng.Below(stratum.Length)];
        var nextNegative = candidates[rng.Below(candidates.Length)];
        fixed (float* userBase = users, itemBase = items)
        {
            for (var sample = 0; sample < stratum.Length; sample++)
            {
                var pair = nextPair;
                var negative = nextNegative;
                if (sample + 1 < stratum.Length)
                {
                    nextPair = stratum[rng.Below(stratum.Length)];
                    nextNegative = candidates[rng.Below(candidates.Length)];
                    Prefetch(userBase + (long)BprStrata.User(nextPair) * dim, dim);
                    Prefetch(itemBase + (long)BprStrata.Item(nextPair) * dim, dim);
                    Prefetch(itemBase + (long)nextNegative * dim, dim);
                }
                var user = BprStrata.User(pair);
                var positive = BprStrata.Item(pair);
                var row = matrix.RowIndices(user);
                for (var attempt = 1; row.BinarySearch(negative) >= 0; attempt++)
                {
                    negative = attempt < NegativeTries ? candidates[rng.Below(candidates.Length)] : -1;
                    if (negative < 0)
                    {
                        break;
                    }
                }
                if (negative < 0)
                {
                    continue;
                }
                var probability = PairwiseSgd.Step(
                    users.AsSpan(user * dim, dim), items.AsSpan(positive * dim, dim), items.AsSpan(negative * dim, dim),
                    ref bias[positive], ref bias[negative], lr, reg);
                if (probability > 0.5f)
                {
                    hits++;
                }
            }
        }
        return hits;
    }

    private static unsafe void Prefetch(float* row, int dim)
    {
        if (Sse.IsSupported)
        {
            for (var k = 0; k < dim; k += 16)
            {
                Sse.Prefetch0(row + k);
            }
        }
    }
}
