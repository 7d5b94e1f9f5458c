namespace Fresco.Core.Data.Readers;

/// <summary>Which column of an events CSV holds what (-1: absent), its delimiter and whether it has a header. Immutable.</summary>
internal sealed record EventsLayout(char Delimiter, bool HasHeader, int User, int Item, int EventType, int Timestamp, int Value, int Category)
{
    private static readonly string[] s_userNames = ["user", "user_id", "userid", "visitorid", "visitor_id", "customer_id", "customerid"];
    private static readonly string[] s_itemNames = ["item", "item_id", "itemid", "movieid", "movie_id", "product_id", "productid", "sku"];
    private static readonly string[] s_typeNames = ["event", "event_type", "eventtype", "type", "behavior", "behavior_type", "action"];
    private static readonly string[] s_timeNames = ["timestamp", "time", "ts", "event_time", "date", "datetime"];
    private static readonly string[] s_valueNames = ["value", "rating", "score", "quantity", "weight"];
    private static readonly string[] s_categoryNames = ["category", "category_id", "categoryid", "categories", "category_code"];

    /// <summary>The number of fields a row needs to hold every configured column.</summary>
    public int RequiredFields => Math.Max(Math.Max(Math.Max(User, Item), Math.Max(EventType, Timestamp)), Math.Max(Value, Category)) + 1;

    /// <summary>
    /// The layout for a file whose first row is <paramref name="firstRow"/>: the columns of <paramref name="options"/>
    /// when any is set beyond the defaults, else named by a header row, else the Taobao layout
    /// (user,item,category,behavior,timestamp) for 5 fields with a non-numeric 4th, else user,item.
    /// </summary>
    public static EventsLayout Resolve(ReadOnlySpan<char> firstRow, ReadOptions options)
    {
        var delimiter = options.Delimiter ?? (firstRow.Contains(',') ? ',' : firstRow.Contains('\t') ? '\t' : firstRow.Contains(';') ? ';' : ',');
        var fields = firstRow.ToString().Split(delimiter, StringSplitOptions.TrimEntries);
        var defaults = new ReadOptions();
        var configured = options.UserColumn != defaults.UserColumn || options.ItemColumn != defaults.ItemColumn
            || options.EventTypeColumn >= 0 || options.TimestampColumn >= 0 || options.ValueColumn >= 0 || options.CategoryColumn >= 0;
        if (configured)
        {
            var layout = new EventsLayout(delimiter, false, options.UserColumn, options.ItemColumn, options.EventTypeColumn,
                options.TimestampColumn, options.ValueColumn, options.CategoryColumn);
            var header = options.HasHeader ?? layout.LooksLikeHeader(fields);
            return layout with { HasHeader = header };
        }
        var user = Find(fields, s_userNames);
        var item = Find(fields, s_itemNames);
        if (options.HasHeader != false && user >= 0 && item >= 0)
        {
            return new EventsLayout(delimiter, true, user, item, Find(fields, s_typeNames), Find(fields, s_timeNames),
                Find(fields, s_valueNames), Find(fields, s_categoryNames));
        }
        if (fields.Length == 5 && !Fields.IsNumber(fields[3]))
        {
            return new EventsLayout(delimiter, options.HasHeader ?? false, 0, 1, 3, 4, -1, 2);
        }
        return new EventsLayout(delimiter, options.HasHeader ?? false, 0, 1, -1, -1, -1, -1);
    }

    private bool LooksLikeHeader(string[] fields) =>
        (Timestamp >= 0 && Timestamp < fields.Length && !Fields.TryParseTimestamp(fields[Timestamp], out _))
        || (Value >= 0 && Value < fields.Length && !Fields.IsNumber(fields[Value]))
        || (User < fields.Length && Find([fields[User]], s_userNames) == 0);

    private static int Find(string[] fields, string[] names)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var name in names)
            {
                if (string.Equals(fields[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
        return -1;
    }
}
