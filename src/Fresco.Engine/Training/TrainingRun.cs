namespace Fresco.Engine.Training;

/// <summary>One finished training run: when it ended and its report (the gate's decision included). Immutable.</summary>
public sealed record TrainingRun(DateTimeOffset FinishedAt, TrainingReport Report);
