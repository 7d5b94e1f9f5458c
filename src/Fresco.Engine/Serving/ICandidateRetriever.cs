using Fresco.Core.Models;
using Fresco.Core.Ranking;

namespace Fresco.Engine.Serving;

/// <summary>
/// Fast candidate generation for one serving model over a large catalog (an approximate nearest-neighbour index over
/// the model's item vectors): the best items for a user without scoring every item. Built once per promoted model;
/// immutable and thread-safe.
/// </summary>
public interface ICandidateRetriever
{
    /// <summary>Writes up to <c>destination.Length</c> items, best first, in the model's item indices; returns how many.</summary>
    int Retrieve(UserHistory user, Span<ScoredItem> destination);

    /// <summary>Items similar to <paramref name="itemIndex"/> (the item itself left out), best first; returns how many.</summary>
    int RetrieveSimilar(int itemIndex, Span<ScoredItem> destination);
}
