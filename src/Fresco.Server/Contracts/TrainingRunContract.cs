namespace Fresco.Server.Contracts;

/// <summary>One finished training run in the overview: when it ended (RFC 3339) and what it did. Immutable value.</summary>
public sealed record TrainingRunContract(string FinishedAt, TrainingContract Run);
