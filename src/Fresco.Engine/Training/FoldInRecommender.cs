using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Engine.Training;

/// <summary>
/// A view of a model that treats every user as unknown: scores come from the history alone (fold-in), never from a
/// stored user row. Used to evaluate the serving model, whose user rows may have been fit on the very
/// interactions now held out, and which does not know users that arrived after it was trained. Thread-safe as
/// the wrapped model.
/// </summary>
internal sealed class FoldInRecommender(IRecommender inner) : IRecommender
{
    public string Kind => inner.Kind;

    public int ItemCount => inner.ItemCount;

    public int UserCount => 0;

    public void Score(UserHistory user, Span<float> scores) =>
        inner.Score(UserHistory.Anonymous(user.Items, user.Weights), scores);

    public bool TryScoreSimilar(int itemIndex, Span<float> scores) => inner.TryScoreSimilar(itemIndex, scores);

    public void Save(ModelWriter writer) => throw new NotSupportedException("A fold-in view is not saved.");
}
