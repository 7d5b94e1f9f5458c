using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models;

/// <summary>
/// How the CLI, the engine and evaluation reach one kind of model: its options, its trainer and its loader.
/// Immutable.
/// </summary>
/// <param name="Name">The kind, as in <c>--model NAME</c> and in model files.</param>
/// <param name="BodyVersion">The version of the model's file body that this build writes.</param>
/// <param name="UsesEventOrder">
/// The trainer learns from the order of each user's events (<see cref="TrainingData.Interactions"/>): a caller that
/// holds only the users x items matrix should also pass the events in time order.
/// </param>
public sealed record ModelDescriptor(
    string Name,
    string Summary,
    int BodyVersion,
    Func<ModelOptions> CreateOptions,
    Func<TrainingContext, IRecommender> Train,
    Func<ModelReader, int, IRecommender> Load,
    bool UsesEventOrder = false);
