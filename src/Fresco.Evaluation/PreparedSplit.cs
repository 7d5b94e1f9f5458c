using System.Diagnostics;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Evaluation.Metrics;
using Fresco.Evaluation.Splits;

namespace Fresco.Evaluation;

/// <summary>
/// A split made ready to train and score on: the weighted training matrix with its raw events, and the test
/// matrix (a user's relevant items: the test pairs whose summed event weight is positive). Immutable; one
/// prepared split serves every trial of a search.
/// </summary>
internal sealed class PreparedSplit
{
    public PreparedSplit(DataSplit split, EventWeights weights, CsrMatrix? itemCategories)
    {
        if (!ReferenceEquals(split.Train.Users, split.Test.Users) || !ReferenceEquals(split.Train.Items, split.Test.Items))
        {
            throw new InvalidOperationException("The training and test parts do not share their user and item id maps.");
        }
        Training = new TrainingData(weights.BuildMatrix(split.Train), split.Train, itemCategories);
        Test = weights.BuildMatrix(split.Test);
        for (var u = 0; u < Test.Rows; u++)
        {
            TestUsers += Test.RowLength(u) > 0 ? 1 : 0;
        }
        TrainRows = split.Train.Count;
        TestRows = split.Test.Count;
    }

    public TrainingData Training { get; }

    public CsrMatrix Test { get; }

    public int TestUsers { get; }

    public int TrainRows { get; }

    public int TestRows { get; }

    /// <summary>Trains <paramref name="modelName"/> on the training part and ranks for the test users, timing both.</summary>
    public (RankingEvaluation Evaluation, double TrainSeconds, double EvalSeconds) Run(
        string modelName,
        Func<TrainingContext, IRecommender> train,
        ModelOptions options,
        IEnumerable<int> ks,
        CancellationToken cancellationToken)
    {
        if (TestUsers == 0)
        {
            throw new InvalidOperationException(
                $"No user has a test item ({TestRows} test interactions, none with a positive weight for a known user): nothing to evaluate.");
        }
        var clock = Stopwatch.StartNew();
        IRecommender model;
        try
        {
            model = train(new TrainingContext(Training, options, CancellationToken: cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException and not OptionException)
        {
            throw new InvalidOperationException($"Model '{modelName}' failed to train on {TrainRows} interactions: {e.Message}", e);
        }
        var trainSeconds = clock.Elapsed.TotalSeconds;
        if (model.ItemCount != Training.ItemCount)
        {
            throw new InvalidOperationException($"Model '{modelName}' scores {model.ItemCount} items but the data has {Training.ItemCount}.");
        }
        clock.Restart();
        RankingEvaluation evaluation;
        try
        {
            evaluation = RankingEvaluator.Evaluate(model, Training.UserItems, Test, ks, options.Threads, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"Model '{modelName}' failed while ranking items for evaluation: {e.Message}", e);
        }
        var evalSeconds = clock.Elapsed.TotalSeconds;
        if (model is IQuantizedModel { IsQuantized: true } quantized)
        {
            // Not timed: the agreement with the exact weights ranks every user twice more.
            var overlap = RankingAgreement.Overlap(model, quantized.Exact(), Training.UserItems, Test, ks, options.Threads, cancellationToken);
            evaluation = evaluation with { Metrics = evaluation.Metrics.Concat(overlap).ToDictionary(StringComparer.Ordinal) };
        }
        return (evaluation, trainSeconds, evalSeconds);
    }
}
