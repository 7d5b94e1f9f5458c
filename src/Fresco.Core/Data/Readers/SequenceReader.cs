namespace Fresco.Core.Data.Readers;

/// <summary>
/// Reads sequence files: one line per user, <c>user item item ...</c>, whitespace-separated, items in time
/// order. Each item becomes an "interaction" event of value 1 without a timestamp; rows keep the file's
/// order. Thread-safe (static).
/// </summary>
internal static class SequenceReader
{
    public const string EventType = "interaction";

    public static long Read(string path, InteractionTable table, ProblemLog problems)
    {
        using var lines = new LineReader(path);
        var eventType = table.EventTypes.GetOrAdd(EventType);
        long read = 0;
        while (lines.TryReadLine(out var line))
        {
            var position = 0;
            if (!Fields.NextToken(line, ref position, out var userId))
            {
                continue;
            }
            var user = -1;
            while (Fields.NextToken(line, ref position, out var itemId))
            {
                if (user < 0)
                {
                    user = Fields.Intern(table.Users, userId);
                }
                table.Add(new Interaction(user, Fields.Intern(table.Items, itemId), eventType, 1f, 0));
                read++;
            }
            if (user < 0)
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"user '{userId}' has no items");
            }
        }
        return read;
    }
}
