using System.Globalization;

namespace Fresco.Core.Data.Readers;

/// <summary>Span helpers for splitting and parsing fields without allocating. Thread-safe (static).</summary>
internal static class Fields
{
    /// <summary>Splits <paramref name="line"/> at <paramref name="separator"/> into <paramref name="ranges"/>; returns the field count (at most the span's length, the rest counted but not stored).</summary>
    public static int Split(ReadOnlySpan<char> line, ReadOnlySpan<char> separator, Span<Range> ranges)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var next = line[start..].IndexOf(separator);
            var end = next < 0 ? line.Length : start + next;
            if (count < ranges.Length)
            {
                ranges[count] = new Range(start, end);
            }
            count++;
            if (next < 0)
            {
                return count;
            }
            start = end + separator.Length;
        }
    }

    /// <summary>The next run of non-whitespace characters at or after <paramref name="position"/>, advancing it; false when none is left.</summary>
    public static bool NextToken(ReadOnlySpan<char> line, ref int position, out ReadOnlySpan<char> token)
    {
        while (position < line.Length && char.IsWhiteSpace(line[position]))
        {
            position++;
        }
        var start = position;
        while (position < line.Length && !char.IsWhiteSpace(line[position]))
        {
            position++;
        }
        token = line[start..position];
        return token.Length > 0;
    }

    public static bool IsNumber(ReadOnlySpan<char> text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    public static bool TryParseFloat(ReadOnlySpan<char> text, out float value) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    /// <summary>Parses unix seconds (values above 1e11 are taken as milliseconds) or an ISO 8601 date-time.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out long seconds)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds))
        {
            if (seconds > 100_000_000_000L)
            {
                seconds /= 1000;
            }
            return seconds >= 0;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && real >= 0 && real < 1e15)
        {
            seconds = (long)(real > 1e11 ? real / 1000 : real);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            seconds = time.ToUnixTimeSeconds();
            return true;
        }
        return false;
    }

    /// <summary>The index of <paramref name="id"/> in <paramref name="map"/>, adding it (one string allocation) when new.</summary>
    public static int Intern(IdMap map, ReadOnlySpan<char> id) =>
        map.TryGetIndex(id, out var index) ? index : map.GetOrAdd(id.ToString());
}
