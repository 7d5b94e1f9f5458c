using Fresco.Core.Data;

namespace Fresco.Core.Models;

/// <summary>
/// A model that scores many known users at once faster than one by one (a factor model does it as a blocked
/// matrix multiply). Thread-safe.
/// </summary>
public interface IBatchScorer
{
    /// <summary>
    /// Writes scores for <paramref name="userIndices"/> into <paramref name="scores"/>, row-major
    /// (<c>userIndices.Length x ItemCount</c>). <paramref name="history"/> gives each user's row for models
    /// that need it.
    /// </summary>
    void ScoreBatch(ReadOnlySpan<int> userIndices, CsrMatrix history, Span<float> scores);
}
