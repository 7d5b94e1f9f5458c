using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Readers;

namespace Fresco.Evaluation.Tests.RealData;

/// <summary>
/// Minimal readers for the benchmark files the evaluation tests use (the product's readers live in
/// Fresco.Core.Data.Readers; these keep the evaluation tests independent of them). Thread-safe (static).
/// </summary>
internal static class BenchmarkFiles
{
    /// <summary>A "user item item ..." file (Amazon Beauty, ml-1m): one row per item, table order as time.</summary>
    public static InteractionTable ReadSequences(string path, InteractionTable? sharedMaps = null)
    {
        var table = sharedMaps is null ? new InteractionTable() : new InteractionTable(sharedMaps.Users, sharedMaps.Items, sharedMaps.EventTypes);
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 1; i < fields.Length; i++)
            {
                table.Add(fields[0], fields[i], "interaction");
            }
        }
        return table;
    }

    /// <summary>MovieLens u.data: user, item, rating, unix time, tab-separated.</summary>
    public static InteractionTable ReadMovieLens(string path)
    {
        var table = new InteractionTable();
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split('\t');
            table.Add(f[0], f[1], "rating", float.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture));
        }
        return table;
    }

    public static DataSet AsDataSet(string name, InteractionTable table, InteractionTable? test = null) =>
        new(name, table, test, null, new ReadReport("test", table.Count + (test?.Count ?? 0), 0, []));
}
