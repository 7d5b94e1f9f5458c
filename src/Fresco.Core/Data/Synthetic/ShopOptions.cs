namespace Fresco.Core.Data.Synthetic;

/// <summary>The size and shape of a generated shop. Immutable.</summary>
public sealed record ShopOptions
{
    public int Users { get; init; } = 1000;

    public int Items { get; init; } = 5000;

    public int Categories { get; init; } = 20;

    /// <summary>Mean number of product views per user (log-normal activity around it).</summary>
    public double ViewsPerUser { get; init; } = 30;

    /// <summary>Zipf exponent of item popularity within a category.</summary>
    public double Popularity { get; init; } = 1.0;

    /// <summary>Share of a user's views that go to their favourite categories.</summary>
    public double Taste { get; init; } = 0.8;

    /// <summary>
    /// Chance that a view goes to the item after the user's previous view in that item's category (browsing a list in
    /// order): the order of events then carries what a sequential model learns. 0: views are independent.
    /// </summary>
    public double Sequential { get; init; }

    /// <summary>Chance that a view leads to add-to-cart, and that a cart leads to a purchase.</summary>
    public double CartRate { get; init; } = 0.1;

    public double PurchaseRate { get; init; } = 0.3;

    /// <summary>Share of items that are hidden (out of stock).</summary>
    public double HiddenRate { get; init; } = 0.02;

    /// <summary>
    /// Events fall in the <see cref="Span"/> before <see cref="End"/>. Below a day, a cart's and a purchase's delays after
    /// their view (up to 10 minutes and 75 minutes) shrink in proportion, so that a shop of minutes keeps its funnel.
    /// </summary>
    public TimeSpan Span { get; init; } = TimeSpan.FromDays(30);

    public DateTimeOffset End { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        Check(Users >= 1, "users must be at least 1");
        Check(Items >= 1, "items must be at least 1");
        Check(Categories >= 1 && Categories <= Items, "categories must be between 1 and the number of items");
        Check(ViewsPerUser >= 1, "views per user must be at least 1");
        Check(Popularity >= 0, "popularity exponent must not be negative");
        Check(Taste is >= 0 and <= 1 && Sequential is >= 0 and <= 1 && CartRate is >= 0 and <= 1 && PurchaseRate is >= 0 and <= 1 && HiddenRate is >= 0 and < 1,
            "taste, sequential, cart, purchase and hidden rates must be between 0 and 1");
        Check(Span >= TimeSpan.FromSeconds(1), "the span must be at least one second");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid shop options: {message}.");
        }
    }
}
