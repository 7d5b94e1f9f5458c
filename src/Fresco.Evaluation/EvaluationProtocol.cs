using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Evaluation.Splits;

namespace Fresco.Evaluation;

/// <summary>
/// Turns a protocol name into the splits to evaluate (one, or one per fold) and, for tuning, the validation
/// split carved from a split's training part only: leave-last-out uses its validation item; random, kfold and
/// given-split carve a random split of the training part (kfold with fraction 1/k); temporal carves a time cut.
/// Thread-safe (static).
/// </summary>
public static class EvaluationProtocol
{
    public static readonly IReadOnlyList<string> Names = ["random", "leave-last-out", "temporal", "given-split", "kfold"];

    public static IReadOnlyList<DataSplit> Splits(DataSet data, EvaluationSettings settings) =>
        Normalize(settings.Protocol) switch
        {
            "random" => [RandomSplit.Split(data.Interactions, settings.TestFraction, settings.Seed)],
            "leave-last-out" => [LeaveLastOutSplit.Split(data.Interactions)],
            "temporal" => [TemporalSplit.Split(data.Interactions, settings.TestFraction)],
            "given-split" => [GivenSplit.Split(data)],
            _ => KFoldSplit.Split(data.Interactions, settings.Folds, settings.Seed),
        };

    /// <summary>The split that tuning for <paramref name="split"/> (number <paramref name="fold"/>) runs on: its training part only, never its test.</summary>
    public static DataSplit TuningSplit(DataSplit split, EvaluationSettings settings, int fold)
    {
        if (split.Validation is { } validation)
        {
            return validation;
        }
        var seed = unchecked(settings.Seed + 7919 * (fold + 1));
        return Normalize(settings.Protocol) switch
        {
            "temporal" => TemporalSplit.Split(split.Train, settings.TestFraction),
            "kfold" => RandomSplit.Split(split.Train, 1.0 / settings.Folds, seed),
            _ => RandomSplit.Split(split.Train, settings.TestFraction, seed),
        };
    }

    /// <summary>The canonical protocol name; an unknown one throws an <see cref="OptionException"/> listing the valid ones.</summary>
    public static string Normalize(string protocol)
    {
        var name = protocol.Trim().ToLowerInvariant() switch
        {
            "loo" or "leave-one-out" or "leave-last-out" => "leave-last-out",
            "given" or "given-split" => "given-split",
            "k-fold" or "kfold" or "cv" => "kfold",
            var other => other,
        };
        return Names.Contains(name)
            ? name
            : throw new OptionException($"Unknown protocol '{protocol}'. Valid protocols: {string.Join(", ", Names)}.");
    }
}
