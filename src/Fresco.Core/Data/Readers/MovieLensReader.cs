namespace Fresco.Core.Data.Readers;

/// <summary>
/// Reads MovieLens rating files: <c>u.data</c> (tab), <c>ratings.dat</c> (<c>::</c>) and <c>ratings.csv</c>
/// (comma, header): user, item, rating and an optional unix timestamp. Thread-safe (static).
/// </summary>
internal static class MovieLensReader
{
    public const string EventType = "rating";

    public static long Read(string path, InteractionTable table, ProblemLog problems)
    {
        using var lines = new LineReader(path);
        var rating = table.EventTypes.GetOrAdd(EventType);
        string? separator = null;
        long read = 0;
        Span<Range> ranges = stackalloc Range[4];
        while (lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }
            if (separator is null)
            {
                separator = line.Contains("::", StringComparison.Ordinal) ? "::" : line.Contains('\t') ? "\t" : line.Contains(',') ? "," : " ";
                var count = Fields.Split(line, separator, ranges);
                if (count >= 3 && !Fields.IsNumber(line[ranges[0]]) && !Fields.IsNumber(line[ranges[2]]))
                {
                    continue; // a header row
                }
            }
            var fields = Fields.Split(line, separator, ranges);
            if (fields is < 3 or > 4)
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"expected user, item, rating[, timestamp]; found {fields} fields");
                continue;
            }
            var user = line[ranges[0]].Trim();
            var item = line[ranges[1]].Trim();
            if (user.IsEmpty || item.IsEmpty)
            {
                problems.Skip(lines.FileName, lines.LineNumber, "empty user or item id");
                continue;
            }
            if (!Fields.TryParseFloat(line[ranges[2]], out var value))
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"rating '{line[ranges[2]]}' is not a number");
                continue;
            }
            long timestamp = 0;
            if (fields == 4 && !Fields.TryParseTimestamp(line[ranges[3]], out timestamp))
            {
                problems.Skip(lines.FileName, lines.LineNumber, $"timestamp '{line[ranges[3]]}' is not a time");
                continue;
            }
            table.Add(new Interaction(Fields.Intern(table.Users, user), Fields.Intern(table.Items, item), rating, value, timestamp));
            read++;
        }
        return read;
    }
}
