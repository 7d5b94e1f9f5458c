namespace Fresco.Core.Models;

/// <summary>
/// Everything one training run gets: data, options, an optional previous model to warm-start from, progress
/// and cancellation. Immutable.
/// </summary>
public sealed record TrainingContext(
    TrainingData Data,
    ModelOptions Options,
    IRecommender? WarmStart = null,
    IProgress<TrainingProgress>? Progress = null,
    CancellationToken CancellationToken = default);

/// <summary>One step of training: <paramref name="Step"/> of <paramref name="Steps"/> (an epoch, an iteration) and an optional loss.</summary>
public readonly record struct TrainingProgress(string Stage, int Step, int Steps, double? Loss = null);
