using Fresco.Engine.Storage;

namespace Fresco.Engine.Impressions;

/// <summary>
/// Which feedback is credited to a recommendation: the feedback types that count as a click, a cart or a purchase
/// (compared ignoring case; null: the defaults named on each), and how long after an answer a feedback without a
/// <c>RecommId</c> is still credited to it (last touch). Mutable until the engine starts, which validates it.
/// </summary>
public sealed class AttributionOptions
{
    private static readonly string[] s_clicks = ["click"];
    private static readonly string[] s_carts = ["cart", "add_to_cart"];
    private static readonly string[] s_purchases = ["purchase", "buy"];

    /// <summary>Last touch: a feedback is credited to the latest answer that showed its item at most this long before it.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// On a cluster node: a feedback that neither this node's shown index nor the stored impressions credit, dated less
    /// than this before now, is looked up in the store once more this long later, since the answer may have come from
    /// another node whose impression batch was not committed yet. Zero: never. At most one hour; default 5 s. Ignored on
    /// a node alone (its own answers are all in its memory).
    /// </summary>
    public TimeSpan Recheck { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Feedback types counted as clicks; null: <c>click</c>.</summary>
    public string[]? ClickTypes { get; set; }

    /// <summary>Feedback types counted as carts; null: <c>cart</c>, <c>add_to_cart</c>.</summary>
    public string[]? CartTypes { get; set; }

    /// <summary>Feedback types counted as purchases (their value is revenue); null: <c>purchase</c>, <c>buy</c>.</summary>
    public string[]? PurchaseTypes { get; set; }

    /// <summary>What a feedback type counts as, or null when it is not attributed.</summary>
    public AttributionKind? KindOf(string feedbackType) =>
        Has(ClickTypes ?? s_clicks, feedbackType) ? AttributionKind.Click
        : Has(CartTypes ?? s_carts, feedbackType) ? AttributionKind.Cart
        : Has(PurchaseTypes ?? s_purchases, feedbackType) ? AttributionKind.Purchase
        : null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public AttributionOptions Validate()
    {
        if (Window <= TimeSpan.Zero || Window > TimeSpan.FromDays(366))
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "Attribution:Window must be above 0 and at most 366 days.");
        }
        if (Recheck < TimeSpan.Zero || Recheck > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Recheck), Recheck, "Attribution:Recheck must be 0 to one hour.");
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, types) in new[] { ("ClickTypes", ClickTypes ?? s_clicks), ("CartTypes", CartTypes ?? s_carts),
            ("PurchaseTypes", PurchaseTypes ?? s_purchases) })
        {
            foreach (var type in types)
            {
                if (string.IsNullOrEmpty(type) || type.Length > StoreValidation.MaxIdLength)
                {
                    throw new ArgumentException($"Attribution:{name} holds an empty or over-long feedback type.", name);
                }
                if (!seen.Add(type))
                {
                    throw new ArgumentException($"Attribution:{name}: the feedback type '{type}' is in two lists.", name);
                }
            }
        }
        return this;
    }

    private static bool Has(string[] types, string type)
    {
        foreach (var t in types)
        {
            if (string.Equals(t, type, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
