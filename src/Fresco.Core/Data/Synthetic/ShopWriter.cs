using System.Globalization;

namespace Fresco.Core.Data.Synthetic;

/// <summary>
/// Writes a generated shop as two CSV files that the events reader (and later the server's import) reads:
/// <c>events.csv</c> (<c>user,item,type,timestamp,category</c>) and <c>items.csv</c>
/// (<c>item,category,hidden,timestamp</c>). Thread-safe (static).
/// </summary>
public static class ShopWriter
{
    public const string EventsFile = "events.csv";
    public const string ItemsFile = "items.csv";

    public static void Write(Shop shop, string folder)
    {
        Directory.CreateDirectory(folder);
        var categories = shop.Items.ToDictionary(i => i.ItemId, i => i.Category, StringComparer.Ordinal);
        using (var events = new StreamWriter(Path.Combine(folder, EventsFile)))
        {
            events.WriteLine("user,item,type,timestamp,category");
            foreach (var e in shop.Events)
            {
                events.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{e.UserId},{e.ItemId},{e.EventType},{e.Timestamp.ToUnixTimeSeconds()},{categories[e.ItemId]}"));
            }
        }
        using var items = new StreamWriter(Path.Combine(folder, ItemsFile));
        items.WriteLine("item,category,hidden,timestamp");
        foreach (var item in shop.Items)
        {
            items.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{item.ItemId},{item.Category},{(item.IsHidden ? "true" : "false")},{item.Timestamp.ToUnixTimeSeconds()}"));
        }
    }
}
