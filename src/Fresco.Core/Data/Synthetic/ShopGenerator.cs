namespace Fresco.Core.Data.Synthetic;

/// <summary>
/// Generates a seeded synthetic shop for demos and load tests: items in categories with Zipf popularity inside
/// each category; users with one to three favourite categories (their taste) and log-normal activity; optionally
/// views that follow a category's list in order (<see cref="ShopOptions.Sequential"/>); a view, cart, purchase funnel. The same options give the same shop. Thread-safe (static).
/// </summary>
public static class ShopGenerator
{
    public static Shop Generate(ShopOptions options)
    {
        options.Validate();
        var random = new Random(options.Seed);
        var start = options.End - options.Span;
        var spanSeconds = options.Span.TotalSeconds;
        var funnel = Math.Min(1, options.Span / TimeSpan.FromDays(1));

        // Items: a category each (round-robin over a shuffled order, so categories are balanced), hidden at random.
        var items = new ShopItem[options.Items];
        var byCategory = Enumerable.Range(0, options.Categories).Select(_ => new List<int>()).ToArray();
        var order = Enumerable.Range(0, options.Items).ToArray();
        random.Shuffle(order);
        for (var rank = 0; rank < order.Length; rank++)
        {
            var item = order[rank];
            var category = rank % options.Categories;
            byCategory[category].Add(item);
            items[item] = new ShopItem($"i{item}", $"c{category}", random.NextDouble() < options.HiddenRate,
                start.AddSeconds(random.NextDouble() * spanSeconds));
        }
        // Within a category, list position is popularity rank: P(rank r) ~ 1 / (r + 1)^a.
        var cumulative = byCategory.Select(list => Cumulative(list.Count, options.Popularity)).ToArray();

        var events = new List<ShopEvent>((int)(options.Users * options.ViewsPerUser * 1.2));
        var sigma = 0.8;
        var mu = Math.Log(options.ViewsPerUser) - sigma * sigma / 2;
        var times = new List<double>();
        var userEvents = new List<ShopEvent>();
        for (var u = 0; u < options.Users; u++)
        {
            var userId = $"u{u}";
            var favourites = Enumerable.Range(0, 1 + random.Next(Math.Min(3, options.Categories)))
                .Select(_ => random.Next(options.Categories)).ToArray();
            var views = Math.Max(1, (int)Math.Round(Math.Exp(mu + sigma * Gaussian(random))));
            times.Clear();
            for (var v = 0; v < views; v++)
            {
                times.Add(random.NextDouble() * spanSeconds);
            }
            times.Sort();
            userEvents.Clear();
            var previous = (Category: -1, Rank: -1);
            foreach (var offset in times)
            {
                // The random stream is only drawn from for Sequential when it is set: shops generated without it are unchanged.
                var next = options.Sequential > 0 && previous.Category >= 0 && random.NextDouble() < options.Sequential;
                var category = next ? previous.Category
                    : random.NextDouble() < options.Taste ? favourites[random.Next(favourites.Length)] : random.Next(options.Categories);
                var list = byCategory[category];
                var rank = next ? (previous.Rank + 1) % list.Count : Sample(cumulative[category], random);
                previous = (category, rank);
                var item = items[list[rank]];
                var at = start.AddSeconds(offset);
                userEvents.Add(new ShopEvent(userId, item.ItemId, "view", at));
                if (random.NextDouble() < options.CartRate)
                {
                    userEvents.Add(new ShopEvent(userId, item.ItemId, "cart", Before(at.AddSeconds(funnel * (30 + random.Next(600))), options.End)));
                    if (random.NextDouble() < options.PurchaseRate)
                    {
                        userEvents.Add(new ShopEvent(userId, item.ItemId, "purchase", Before(at.AddSeconds(funnel * (900 + random.Next(3600))), options.End)));
                    }
                }
            }
            // A cart or purchase may come after the user's next view: keep each user's events in time order.
            events.AddRange(userEvents.OrderBy(e => e.Timestamp));
        }
        return new Shop(items, events);
    }

    /// <summary>A funnel event late in the span stays in it.</summary>
    private static DateTimeOffset Before(DateTimeOffset at, DateTimeOffset end) => at < end ? at : end;

    private static double[] Cumulative(int count, double exponent)
    {
        var weights = new double[count];
        var sum = 0.0;
        for (var r = 0; r < count; r++)
        {
            sum += Math.Pow(r + 1, -exponent);
            weights[r] = sum;
        }
        for (var r = 0; r < count; r++)
        {
            weights[r] /= sum;
        }
        return weights;
    }

    private static int Sample(double[] cumulative, Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
