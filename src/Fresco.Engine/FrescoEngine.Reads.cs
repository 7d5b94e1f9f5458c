using Fresco.Engine.Serving;
using Fresco.Engine.Storage;

namespace Fresco.Engine;

/// <summary>Recommendation reads: from memory only, never locking on writers.</summary>
public sealed partial class FrescoEngine
{
    public IReadOnlyList<ScoredId>? Recommend(string userId, RecommendQuery query)
    {
        Validate(query);
        ArgumentNullException.ThrowIfNull(userId);
        if (!_live.TryGetUserIndex(userId, out var userIndex) || !_users.Contains(userIndex))
        {
            return null;
        }
        var snapshot = _live.GetSnapshot(userIndex);
        var view = CurrentView();
        var generation = _catalog.Generation;
        var cacheable = _cache.Enabled && (query.Exclude is null || query.Exclude.Count == 0);
        if (cacheable)
        {
            var cached = _cache.TryGet(userId, snapshot, view, generation, query);
            if (cached is not null)
            {
                Metrics.CacheHit();
                return cached;
            }
            Metrics.CacheMiss();
        }
        var modelUser = view is { SameUsers: true } && userIndex < view.Model.UserCount
            && ModelRowIsCurrent(view.Serving.Version, userIndex, snapshot.Version) ? userIndex : -1;
        var result = _pipeline.Recommend(view, modelUser, snapshot.Items, snapshot.Weights, snapshot.Consumed, snapshot.Rejected, query);
        if (cacheable)
        {
            _cache.Add(userId, snapshot, view, generation, query, result);
        }
        return result;
    }

    public IReadOnlyList<ScoredId> RecommendSession(IReadOnlyList<Feedback> session, RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(session);
        Validate(query);
        var pairs = new Dictionary<int, (float Weight, DateTimeOffset Last)>();
        var seen = new List<int>();
        var consumed = new List<int>();
        foreach (var f in session)
        {
            if (f is null || !_live.TryGetItemIndex(f.ItemId, out var item))
            {
                continue;
            }
            pairs.TryGetValue(item, out var pair);
            pairs[item] = (pair.Weight + _options.Live.Weights.WeightOf(f.FeedbackType, (float)f.Value),
                f.Timestamp > pair.Last ? f.Timestamp : pair.Last);
            seen.Add(item);
            if (_options.Live.ConsumedEventTypes.Contains(f.FeedbackType, StringComparer.OrdinalIgnoreCase))
            {
                consumed.Add(item);
            }
        }
        var history = pairs.Where(p => p.Value.Weight > 0).OrderBy(p => p.Value.Last).ThenBy(p => p.Key).ToArray();
        var items = history.Select(p => p.Key).ToArray();
        var weights = history.Select(p => p.Value.Weight).ToArray();
        // Every item the session touched is left out, even one whose summed weight is not positive.
        return _pipeline.Recommend(CurrentView(), -1, items, weights, consumed.ToArray(), seen.ToArray(), query);
    }

    public IReadOnlyList<ScoredId>? ItemNeighbors(string itemId, RecommendQuery query)
    {
        Validate(query);
        return TryGetItem(itemId, out var item) ? _neighbors.SimilarItems(CurrentView(), item, query) : null;
    }

    public IReadOnlyList<ScoredId>? UserNeighbors(string userId, RecommendQuery query)
    {
        Validate(query);
        ArgumentNullException.ThrowIfNull(userId);
        return _live.TryGetUserIndex(userId, out var user) && _users.Contains(user) ? _neighbors.SimilarUsers(user, query) : null;
    }

    public IReadOnlyList<ScoredId>? NonPersonalized(string name, RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(name);
        Validate(query);
        return name.ToLowerInvariant() switch
        {
            "popular" => _pipeline.List(_lists.Popular, "popular", query),
            "latest" => _pipeline.List(_lists.Latest, "latest", query),
            "trending" => _pipeline.List(_lists.Trending, "trending", query),
            _ => null,
        };
    }

    public IReadOnlyList<ScoredId>? ItemToItem(string name, string itemId, RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(name);
        Validate(query);
        var similar = string.Equals(name, "similar", StringComparison.OrdinalIgnoreCase);
        if ((!similar && !string.Equals(name, "bought-together", StringComparison.OrdinalIgnoreCase)) || !TryGetItem(itemId, out var item))
        {
            return null;
        }
        return similar ? _neighbors.SimilarItems(CurrentView(), item, query) : _neighbors.BoughtTogether(item, query);
    }

    private bool TryGetItem(string itemId, out int item)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        return _live.TryGetItemIndex(itemId, out item) && _catalog.Exists(item);
    }

    private void Validate(RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.N < 1 || query.Offset < 0 || (long)query.N + query.Offset > _options.Recommend.MaxN)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query,
                $"n must be at least 1, offset at least 0, and n + offset at most {_options.Recommend.MaxN}.");
        }
    }
}
