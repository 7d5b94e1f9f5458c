using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// k-fold cross-validation over interactions: the (user, item) pairs are shuffled with the seed and dealt into
/// k folds of near-equal size; fold f is the test of split f. Every interaction is in exactly one test part.
/// Thread-safe (static).
/// </summary>
public static class KFoldSplit
{
    public static DataSplit[] Split(InteractionTable table, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var (pairOfRow, pairCount) = PairGroups.Group(table);
        if (pairCount < folds)
        {
            throw new InvalidOperationException($"{pairCount} user-item pairs cannot be dealt into {folds} folds: too few interactions for k-fold.");
        }
        var permutation = PairGroups.Shuffled(pairCount, seed);
        var foldOfPair = new int[pairCount];
        for (var i = 0; i < pairCount; i++)
        {
            foldOfPair[permutation[i]] = i % folds;
        }
        var splits = new DataSplit[folds];
        var inTest = new bool[pairOfRow.Length];
        for (var f = 0; f < folds; f++)
        {
            for (var i = 0; i < inTest.Length; i++)
            {
                inTest[i] = foldOfPair[pairOfRow[i]] == f;
            }
            splits[f] = DataSplit.FromMask(table, inTest);
        }
        return splits;
    }
}
