namespace Fresco.Core.Data.Readers;

/// <summary>
/// Reads an events CSV: user, item and optionally event type, timestamp, value and category columns (see
/// <see cref="EventsLayout"/>). Rows without a type column are "interaction" events; rows without a value
/// column have value 1. Thread-safe (static).
/// </summary>
internal static class EventsReader
{
    public const string DefaultEventType = "interaction";

    public static long Read(string path, ReadOptions options, InteractionTable table, ProblemLog problems, out IReadOnlyDictionary<int, string[]>? itemCategories)
    {
        using var lines = new LineReader(path);
        EventsLayout? layout = null;
        var categories = new IdMap();
        var itemCategoryIndices = new Dictionary<int, List<int>>();
        var defaultType = -1;
        var separator = new char[1];
        Span<Range> ranges = stackalloc Range[64];
        long read = 0;
        while (lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }
            if (layout is null)
            {
                layout = EventsLayout.Resolve(line, options);
                if (layout.RequiredFields > ranges.Length)
                {
                    throw new InvalidDataException($"{lines.FileName}: column index {layout.RequiredFields - 1} is beyond the {ranges.Length} columns supported.");
                }
                separator[0] = layout.Delimiter;
                if (layout.EventType < 0)
                {
                    defaultType = table.EventTypes.GetOrAdd(DefaultEventType);
                }
                if (layout.HasHeader)
                {
                    continue;
                }
            }
            var count = Fields.Split(line, separator, ranges);
            if (count < layout.RequiredFields)
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"expected at least {layout.RequiredFields} fields, found {count}");
                continue;
            }
            var user = line[ranges[layout.User]].Trim();
            var item = line[ranges[layout.Item]].Trim();
            if (user.IsEmpty || item.IsEmpty)
            {
                problems.Skip(lines.FileName, lines.LineNumber, "empty user or item id");
                continue;
            }
            var eventType = defaultType;
            if (layout.EventType >= 0)
            {
                var type = line[ranges[layout.EventType]].Trim();
                if (type.IsEmpty)
                {
                    problems.Skip(lines.FileName, lines.LineNumber, "empty event type");
                    continue;
                }
                eventType = Fields.Intern(table.EventTypes, type);
            }
            long timestamp = 0;
            if (layout.Timestamp >= 0 && !Fields.TryParseTimestamp(line[ranges[layout.Timestamp]], out timestamp))
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"timestamp '{line[ranges[layout.Timestamp]]}' is not a time");
                continue;
            }
            var value = 1f;
            if (layout.Value >= 0 && !Fields.TryParseFloat(line[ranges[layout.Value]], out value))
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"value '{line[ranges[layout.Value]]}' is not a number");
                continue;
            }
            var itemIndex = Fields.Intern(table.Items, item);
            table.Add(new Interaction(Fields.Intern(table.Users, user), itemIndex, eventType, value, timestamp));
            read++;
            if (layout.Category >= 0)
            {
                AddCategory(itemCategoryIndices, categories, itemIndex, line[ranges[layout.Category]].Trim());
            }
        }
        itemCategories = layout is { Category: >= 0 }
            ? itemCategoryIndices.ToDictionary(p => p.Key, p => p.Value.Select(categories.GetId).ToArray())
            : null;
        return read;
    }

    private static void AddCategory(Dictionary<int, List<int>> itemCategories, IdMap categories, int itemIndex, ReadOnlySpan<char> category)
    {
        if (category.IsEmpty)
        {
            return;
        }
        var index = Fields.Intern(categories, category);
        if (!itemCategories.TryGetValue(itemIndex, out var list))
        {
            itemCategories[itemIndex] = list = [];
        }
        if (!list.Contains(index))
        {
            list.Add(index);
        }
    }
}
