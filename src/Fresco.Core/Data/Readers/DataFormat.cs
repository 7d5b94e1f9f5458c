namespace Fresco.Core.Data.Readers;

/// <summary>The data formats and how each is recognized from a file or folder. Thread-safe (static).</summary>
public static class DataFormat
{
    public const string MovieLens = "movielens";
    public const string Sequence = "sequence";
    public const string Split = "split";
    public const string Events = "events";

    public static IReadOnlyList<string> All { get; } = [MovieLens, Sequence, Split, Events];

    private static readonly string[] s_movieLensFiles = ["u.data", "ratings.dat", "ratings.csv"];

    /// <summary>
    /// Detects the format of <paramref name="path"/>: a folder with train.txt and test.txt is <c>split</c>, with
    /// a MovieLens ratings file <c>movielens</c>; a file named u.data,
    /// ratings.dat or ratings.csv, or using <c>::</c>, or of 3-4 tab-separated numeric columns is <c>movielens</c>;
    /// a comma-separated file of user,item,rating[,timestamp] (a "rating" header, or numbers with a third column
    /// in [0, 10]) is also <c>movielens</c>, any other comma-separated file <c>events</c>; whitespace-separated
    /// tokens are <c>sequence</c>.
    /// </summary>
    public static string Detect(string path)
    {
        if (Directory.Exists(path))
        {
            if (File.Exists(Path.Combine(path, "train.txt")) && File.Exists(Path.Combine(path, "test.txt")))
            {
                return Split;
            }
            if (s_movieLensFiles.Any(f => File.Exists(Path.Combine(path, f))))
            {
                return MovieLens;
            }
            throw new InvalidDataException($"{path}: no data found (expected train.txt and test.txt, u.data, ratings.dat or ratings.csv).");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' not found.", path);
        }
        if (s_movieLensFiles.Contains(Path.GetFileName(path), StringComparer.OrdinalIgnoreCase))
        {
            return MovieLens;
        }
        using var lines = new LineReader(path);
        while (lines.TryReadLine(out var line))
        {
            if (!line.IsWhiteSpace())
            {
                return DetectLine(line);
            }
        }
        throw new InvalidDataException($"{path}: the file is empty.");
    }

    /// <summary>The file that holds the data of format <paramref name="format"/> at <paramref name="path"/> (a file, or a folder holding it).</summary>
    internal static string ResolveFile(string path, string format)
    {
        if (!Directory.Exists(path))
        {
            return File.Exists(path) ? path : throw new FileNotFoundException($"Data file '{path}' not found.", path);
        }
        if (format == MovieLens)
        {
            foreach (var name in s_movieLensFiles)
            {
                var candidate = Path.Combine(path, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidDataException($"{path} is a folder; format '{format}' needs a file.");
    }

    private static string DetectLine(ReadOnlySpan<char> line)
    {
        if (line.Contains("::", StringComparison.Ordinal))
        {
            return MovieLens;
        }
        if (line.Contains('\t'))
        {
            Span<Range> ranges = stackalloc Range[5];
            var count = Fields.Split(line, "\t", ranges);
            var numeric = count is 3 or 4;
            for (var i = 0; numeric && i < count; i++)
            {
                numeric = Fields.IsNumber(line[ranges[i]]);
            }
            return numeric ? MovieLens : Events;
        }
        if (line.Contains(','))
        {
            return IsRatingCsv(line) ? MovieLens : Events;
        }
        return Sequence;
    }

    // user,item,rating[,timestamp]: a "rating" header in the third column, or numbers with a rating-sized third.
    private static bool IsRatingCsv(ReadOnlySpan<char> line)
    {
        Span<Range> ranges = stackalloc Range[5];
        var count = Fields.Split(line, ",", ranges);
        if (count is not (3 or 4))
        {
            return false;
        }
        var third = line[ranges[2]].Trim();
        if (third.Equals("rating", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        for (var i = 0; i < count; i++)
        {
            if (!Fields.IsNumber(line[ranges[i]]))
            {
                return false;
            }
        }
        return Fields.TryParseFloat(third, out var rating) && rating is >= 0 and <= 10;
    }
}
