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
    private const int PipelineSlots = 4;

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
            // Reported loss: the share of this epoch's sampled pairs that were ranked the wrong way round.
            context.Progress?.Report(new TrainingProgress("bpr", epoch + 1, options.Epochs, 1 - (double)correct / Math.Max(1, matrix.NonZeros)));
        }
        return new BprModel(new FactorModelBody(dim, users, items, bias, options.ToDictionary(), options.Quantize));
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
        var count = stratum.Length;
        // A software pipeline over samples: every read is a random access into arrays far larger than the
        // caches, so each sample's data is prefetched in stages before it is used. Sample s is drawn at step s
        // (its pair prefetched), its pair read at s + 1 (factor rows and row pointer prefetched), its row
        // located at s + 2 (row indices prefetched) and trained at s + 3.
        Span<int> drawn = stackalloc int[PipelineSlots];
        Span<int> negatives = stackalloc int[PipelineSlots];
        Span<long> pairs = stackalloc long[PipelineSlots];
        var pointers = matrix.RowPointers;
        var columns = matrix.ColumnIndices;
        fixed (float* userBase = users, itemBase = items)
        fixed (long* pairBase = stratum, pointerBase = pointers)
        fixed (int* columnBase = columns)
        {
            for (var step = 0; step < count + 3; step++)
            {
                if (step < count)
                {
                    var slot = step & (PipelineSlots - 1);
                    drawn[slot] = rng.Below(count);
                    negatives[slot] = candidates[rng.Below(candidates.Length)];
                    Prefetch(pairBase + drawn[slot]);
                }
                if (step >= 1 && step - 1 < count)
                {
                    var slot = (step - 1) & (PipelineSlots - 1);
                    var pair = stratum[drawn[slot]];
                    pairs[slot] = pair;
                    var user = BprStrata.User(pair);
                    PrefetchRow(userBase + (long)user * dim, dim);
                    PrefetchRow(itemBase + (long)BprStrata.Item(pair) * dim, dim);
                    PrefetchRow(itemBase + (long)negatives[slot] * dim, dim);
                    Prefetch(pointerBase + user);
                }
                if (step >= 2 && step - 2 < count)
                {
                    var user = BprStrata.User(pairs[(step - 2) & (PipelineSlots - 1)]);
                    var first = pointers[user];
                    Prefetch(columnBase + first);
                    Prefetch(columnBase + (first + pointers[user + 1]) / 2);
                }
                if (step >= 3)
                {
                    var slot = (step - 3) & (PipelineSlots - 1);
                    if (Train(matrix, candidates, ref rng, pairs[slot], negatives[slot], users, items, bias, dim, lr, reg))
                    {
                        hits++;
                    }
                }
            }
        }
        return hits;
    }

    /// <summary>One triple: re-draws the negative while it is a positive of the user; true when the pair was already ranked right.</summary>
    private static bool Train(
        CsrMatrix matrix, int[] candidates, ref SplitMix rng, long pair, int negative, float[] users, float[] items, float[] bias, int dim, float lr, float reg)
    {
        var user = BprStrata.User(pair);
        var positive = BprStrata.Item(pair);
        var row = matrix.RowIndices(user);
        for (var attempt = 1; row.BinarySearch(negative) >= 0; attempt++)
        {
            if (attempt == NegativeTries)
            {
                return false;
            }
            negative = candidates[rng.Below(candidates.Length)];
        }
        var probability = PairwiseSgd.Step(
            users.AsSpan(user * dim, dim), items.AsSpan(positive * dim, dim), items.AsSpan(negative * dim, dim),
            ref bias[positive], ref bias[negative], lr, reg);
        return probability > 0.5f;
    }

    private static unsafe void Prefetch(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }

    private static unsafe void PrefetchRow(float* row, int dim)
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
