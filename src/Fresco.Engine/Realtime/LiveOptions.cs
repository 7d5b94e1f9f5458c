using Fresco.Core.Data;

namespace Fresco.Engine.Realtime;

/// <summary>Settings of <see cref="LiveInteractions"/>. Validate once at start-up; not mutated afterwards.</summary>
public sealed class LiveOptions
{
    /// <summary>How much each event type counts (the same weights the training matrix uses).</summary>
    public EventWeights Weights { get; init; } = EventWeights.ECommerce;

    /// <summary>Event types after which the item is "consumed" and no longer recommended to that user.</summary>
    public IReadOnlyCollection<string> ConsumedEventTypes { get; init; } = ["purchase", "buy"];

    /// <summary>Event types that make two items "bought together" when one user has both (co-purchase, co-cart).</summary>
    public IReadOnlyCollection<string> BoughtTogetherEventTypes { get; init; } = ["purchase", "buy", "cart"];

    /// <summary>Half-life of the trending counters, in hours.</summary>
    public double TrendingHalfLifeHours { get; init; } = 24;

    /// <summary>Pairs kept per user; beyond it the least recently touched pair is forgotten.</summary>
    public int MaxHistoryPerUser { get; init; } = 500;

    /// <summary>
    /// How far past the server's clock a feedback timestamp may be; a later one is stored as "now" (it would otherwise
    /// keep its item's trending score undecayed until that time). Not negative; default 5 minutes.
    /// </summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a user may stay inactive (no event, no recommendation asked) before their history leaves memory; it comes
    /// back from the store on their next event or request. Null (the default): users stay in memory. At least 1 second.
    /// </summary>
    public TimeSpan? UserTtl { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    public LiveOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Weights);
        ArgumentNullException.ThrowIfNull(ConsumedEventTypes);
        ArgumentNullException.ThrowIfNull(BoughtTogetherEventTypes);
        if (!(TrendingHalfLifeHours > 0) || double.IsInfinity(TrendingHalfLifeHours))
        {
            throw new ArgumentOutOfRangeException(nameof(TrendingHalfLifeHours), TrendingHalfLifeHours, "Must be a positive finite number of hours.");
        }
        if (MaxHistoryPerUser < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHistoryPerUser), MaxHistoryPerUser, "Must be at least 1.");
        }
        if (FutureTolerance < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FutureTolerance), FutureTolerance, "Must not be negative.");
        }
        if (UserTtl is { } ttl && ttl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(UserTtl), ttl, "Must be at least 1 second (or null: never).");
        }
        foreach (var type in ConsumedEventTypes)
        {
            ArgumentException.ThrowIfNullOrEmpty(type, nameof(ConsumedEventTypes));
        }
        foreach (var type in BoughtTogetherEventTypes)
        {
            ArgumentException.ThrowIfNullOrEmpty(type, nameof(BoughtTogetherEventTypes));
        }
        return this;
    }
}
