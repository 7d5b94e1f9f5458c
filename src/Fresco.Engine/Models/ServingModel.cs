using Fresco.Core.Models;

namespace Fresco.Engine.Models;

/// <summary>
/// The model being served and what is known about it: its stored version, kind, the outside ids of its rows and
/// columns, quality metrics and when this process started serving it. Immutable; a request reads <see cref="ModelRegistry.Current"/> once and finishes on
/// that instance even when a swap happens meanwhile.
/// </summary>
public sealed record ServingModel(
    long Version,
    IRecommender Model,
    ModelIdSpace Ids,
    string Kind,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset PromotedAt);
