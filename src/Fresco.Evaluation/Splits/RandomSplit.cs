using Fresco.Core.Data;

namespace Fresco.Evaluation.Splits;

/// <summary>
/// The interaction-level random split (the ml-100k protocol): a seeded, uniformly random share of the
/// (user, item) pairs is the test, every event of a pair on the same side. Thread-safe (static).
/// </summary>
public static class RandomSplit
{
    /// <summary>Holds out round(<paramref name="testFraction"/> x pairs) pairs; the same seed gives the same split.</summary>
    public static DataSplit Split(InteractionTable table, double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1.");
        }
        var (pairOfRow, pairCount) = PairGroups.Group(table);
        var permutation = PairGroups.Shuffled(pairCount, seed);
        var testPairs = (int)Math.Round(testFraction * pairCount);
        var pairInTest = new bool[pairCount];
        for (var i = 0; i < testPairs; i++)
        {
            pairInTest[permutation[i]] = true;
        }
        var inTest = new bool[pairOfRow.Length];
        for (var i = 0; i < inTest.Length; i++)
        {
            inTest[i] = pairInTest[pairOfRow[i]];
        }
        return DataSplit.FromMask(table, inTest);
    }
}
