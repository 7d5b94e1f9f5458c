using Fresco.Core.Data;
using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>
/// What a candidate trains on and the validation items it is scored on (users x items, the same shape as the training
/// matrix). Immutable value.
/// </summary>
public sealed record ValidationSplit(TrainingData Train, CsrMatrix Validation);
