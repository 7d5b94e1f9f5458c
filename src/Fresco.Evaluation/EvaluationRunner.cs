using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;

namespace Fresco.Evaluation;

/// <summary>Runs a whole evaluation (split, optional tuning, train, rank, score) for the CLI. Thread-safe (static).</summary>
public static class EvaluationRunner
{
    /// <summary>
    /// Evaluates <paramref name="modelName"/> with <paramref name="options"/> on <paramref name="data"/>, weighting
    /// events by <paramref name="weights"/>. With <see cref="EvaluationSettings.Tune"/>, first searches the options
    /// on a validation split carved from the training part only, then evaluates the best.
    /// </summary>
    public static EvaluationResult Run(
        DataSet data,
        string modelName,
        ModelOptions options,
        EvaluationSettings settings,
        EventWeights weights,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default) =>
        throw new NotImplementedException("evaluation is being written");
}
