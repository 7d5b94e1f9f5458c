using Fresco.Core.Data.Readers;

namespace Fresco.Evaluation.Splits;

/// <summary>The split a pre-split source comes with: its interactions train, its test part tests. Thread-safe (static).</summary>
public static class GivenSplit
{
    public static DataSplit Split(DataSet data) =>
        data.Test is { } test
            ? new DataSplit(data.Interactions, test)
            : throw new InvalidOperationException(
                $"Protocol 'given-split' needs a data set with its own test part, and '{data.Name}' has none; use random, leave-last-out, temporal or kfold.");
}
