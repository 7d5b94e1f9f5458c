using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Evaluation.Tests;

/// <summary>A test model: a fixed score matrix (users x items) for known users, zeros for others. Thread-safe (immutable).</summary>
internal sealed class FixedScoreModel(float[,] scores) : IRecommender
{
    public string Kind => "fixed";

    public int ItemCount => scores.GetLength(1);

    public int UserCount => scores.GetLength(0);

    public void Score(UserHistory user, Span<float> destination)
    {
        for (var i = 0; i < ItemCount; i++)
        {
            destination[i] = user.UserIndex >= 0 && user.UserIndex < UserCount ? scores[user.UserIndex, i] : 0f;
        }
    }

    public bool TryScoreSimilar(int itemIndex, Span<float> destination) => false;

    public void Save(ModelWriter writer) => throw new NotSupportedException();
}
