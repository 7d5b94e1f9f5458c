namespace Fresco.Core.Data.Readers;

/// <summary>Reads any supported data file or folder (see <see cref="DataFormat"/>). Thread-safe (static).</summary>
public static class DataReader
{
    /// <summary>
    /// Reads <paramref name="path"/>. Malformed rows are skipped and reported in <see cref="DataSet.Report"/>;
    /// throws <see cref="InvalidDataException"/> with a one-line message naming the file when nothing usable
    /// remains, <see cref="FileNotFoundException"/> when the path does not exist, and
    /// <see cref="ArgumentException"/> for an unknown format name.
    /// </summary>
    public static DataSet Read(string path, ReadOptions? options = null)
    {
        options ??= new ReadOptions();
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' not found.", path);
        }
        var format = options.Format?.Trim().ToLowerInvariant() ?? DataFormat.Detect(path);
        var problems = new ProblemLog();
        var table = new InteractionTable(capacity: 1024);
        InteractionTable? test = null;
        IReadOnlyDictionary<int, string[]>? categories = null;
        long read;
        switch (format)
        {
            case DataFormat.MovieLens:
                read = MovieLensReader.Read(DataFormat.ResolveFile(path, format), table, problems);
                break;
            case DataFormat.Sequence:
                read = SequenceReader.Read(DataFormat.ResolveFile(path, format), table, problems);
                break;
            case DataFormat.Events:
                read = EventsReader.Read(DataFormat.ResolveFile(path, format), options, table, problems, out categories);
                break;
            case DataFormat.Split:
                read = SequenceReader.Read(Path.Combine(path, "train.txt"), table, problems);
                test = new InteractionTable(table.Users, table.Items, table.EventTypes, 1024);
                read += SequenceReader.Read(Path.Combine(path, "test.txt"), test, problems);
                break;
            default:
                throw new ArgumentException($"Unknown data format '{options.Format}'. Known formats: {string.Join(", ", DataFormat.All)}.");
        }
        if (table.Count == 0)
        {
            var detail = problems.Skipped > 0 ? $" ({problems.Skipped} malformed rows skipped; first: {problems.First[0]})" : "";
            throw new InvalidDataException($"{path}: no usable interactions{detail}.");
        }
        if (test is { Count: 0 })
        {
            throw new InvalidDataException($"{Path.Combine(path, "test.txt")}: no usable interactions.");
        }
        var report = new ReadReport(format, read, problems.Skipped, problems.First);
        return new DataSet(NameOf(path), table, test, categories, report);
    }

    private static string NameOf(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var name = Path.GetFileName(full);
        if (Directory.Exists(full) || name.StartsWith("u.", StringComparison.Ordinal) || name.StartsWith("ratings.", StringComparison.Ordinal)
            || name is "train.txt" or "interactions.bin")
        {
            return Path.GetFileName(Directory.Exists(full) ? full : Path.GetDirectoryName(full)) ?? name;
        }
        return Path.GetFileNameWithoutExtension(name);
    }
}
