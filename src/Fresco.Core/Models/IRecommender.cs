using Fresco.Core.Serialization;

namespace Fresco.Core.Models;

/// <summary>
/// A trained, immutable recommendation model. Every member is thread-safe: a model is shared by all requests
/// and replaced as a whole (an atomic reference swap) when a new one is trained.
/// </summary>
public interface IRecommender
{
    /// <summary>The model kind as named in the CLI and in model files ("als", "itemknn", ...).</summary>
    string Kind { get; }

    /// <summary>The options the model was trained with (name -> value, as <c>--set</c> takes them); empty when not kept.</summary>
    IReadOnlyDictionary<string, string> Options => System.Collections.Frozen.FrozenDictionary<string, string>.Empty;

    /// <summary>Number of items the model scores (item indices 0 .. ItemCount-1).</summary>
    int ItemCount { get; }

    /// <summary>Number of users the model was trained on (0 for models that only use the history).</summary>
    int UserCount { get; }

    /// <summary>
    /// Writes a relevance score for every item into <paramref name="scores"/> (length <see cref="ItemCount"/>).
    /// A model that keeps per-user state uses it for a known user and folds in the history otherwise; items
    /// are not masked here. Must not allocate per call.
    /// </summary>
    void Score(UserHistory user, Span<float> scores);

    /// <summary>
    /// Writes the similarity of every item to <paramref name="itemIndex"/> into <paramref name="scores"/>;
    /// returns false when the model has no notion of item similarity.
    /// </summary>
    bool TryScoreSimilar(int itemIndex, Span<float> scores);

    /// <summary>Writes the model body (the header is written by <see cref="ModelFile"/>).</summary>
    void Save(ModelWriter writer);
}
