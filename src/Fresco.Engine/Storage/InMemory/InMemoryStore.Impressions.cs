namespace Fresco.Engine.Storage.InMemory;

/// <summary>The <see cref="IImpressionStore"/> part of <see cref="InMemoryStore"/>.</summary>
public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, Impression> _impressions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RecommId, string Type, string User, string Item), Attribution> _attributions = [];

    public Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken cancellationToken = default)
    {
        StoreValidation.Impressions(impressions);
        lock (_lock)
        {
            foreach (var impression in impressions)
            {
                _impressions.TryAdd(impression.Id, impression with { ItemIds = [.. impression.ItemIds], Time = impression.Time.ToUniversalTime() });
            }
        }
        return Task.CompletedTask;
    }

    public Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(id, nameof(id));
        lock (_lock)
        {
            return Task.FromResult(_impressions.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(limit);
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Impression>>([.. _impressions.Values.Where(i => i.UserId is not null && i.Time >= since)
                .OrderByDescending(i => i.Time).ThenByDescending(i => i.Id, StringComparer.Ordinal).Take(limit)]);
        }
    }

    public Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        lock (_lock)
        {
            return Task.FromResult(_impressions.Values
                .Where(i => i.UserId == userId && i.Time >= from && i.Time <= to && i.ItemIds.Contains(itemId, StringComparer.Ordinal))
                .OrderByDescending(i => i.Time).ThenByDescending(i => i.Id, StringComparer.Ordinal).FirstOrDefault()?.Id);
        }
    }

    public Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        StoreValidation.DeleteBatch(max);
        lock (_lock)
        {
            var impressions = _impressions.Values.Where(i => i.Time < cutoff).OrderBy(i => i.Time).ThenBy(i => i.Id, StringComparer.Ordinal)
                .Take(max).ToList();
            var attributions = _attributions.Where(a => a.Value.Time < cutoff).OrderBy(a => a.Value.Time).Take(max).ToList();
            impressions.ForEach(i => _impressions.Remove(i.Id));
            attributions.ForEach(a => _attributions.Remove(a.Key));
            return Task.FromResult(impressions.Count + attributions.Count);
        }
    }

    public Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken = default)
    {
        StoreValidation.Attributions(attributions);
        lock (_lock)
        {
            var added = 0;
            foreach (var a in attributions)
            {
                if (_attributions.TryAdd((a.RecommId, a.FeedbackType, a.UserId, a.ItemId), a with { Time = a.Time.ToUniversalTime() }))
                {
                    added++;
                }
            }
            return Task.FromResult(added);
        }
    }

    public Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(recommId, nameof(recommId));
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Attribution>>([.. _attributions.Values.Where(a => a.RecommId == recommId)
                .OrderBy(a => a.Time).ThenBy(a => a.FeedbackType, StringComparer.Ordinal).ThenBy(a => a.UserId, StringComparer.Ordinal)
                .ThenBy(a => a.ItemId, StringComparer.Ordinal)]);
        }
    }

    public Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(experiment, nameof(experiment));
        lock (_lock)
        {
            var shown = _impressions.Values.Where(i => i.Experiment == experiment && i.UserId is not null && i.Variant is not null).ToArray();
            var byAnswer = shown.ToDictionary(i => i.Id, StringComparer.Ordinal);
            var credited = _attributions.Values.Where(a => byAnswer.ContainsKey(a.RecommId))
                .ToLookup(a => (byAnswer[a.RecommId].UserId!, byAnswer[a.RecommId].Variant!));
            return Task.FromResult<IReadOnlyList<ExperimentUserOutcome>>([.. shown
                .GroupBy(i => (User: i.UserId!, Variant: i.Variant!))
                .OrderBy(g => g.Key.User, StringComparer.Ordinal).ThenBy(g => g.Key.Variant, StringComparer.Ordinal)
                .Select(g =>
                {
                    var rows = credited[g.Key].ToArray();
                    return new ExperimentUserOutcome(g.Key.User, g.Key.Variant, g.LongCount(),
                        rows.LongCount(a => a.Kind == AttributionKind.Click), rows.LongCount(a => a.Kind == AttributionKind.Cart),
                        rows.LongCount(a => a.Kind == AttributionKind.Purchase),
                        rows.Where(a => a.Kind == AttributionKind.Purchase).Sum(a => a.Value));
                })]);
        }
    }
}
