using Fresco.Core.Data;

namespace Fresco.Benchmarks.Timing;

/// <summary>Reads a "user item item ..." file of integer ids (the synthetic benchmark format) into a CSR matrix of weight-1 interactions.</summary>
internal static class SequenceFile
{
    public static CsrMatrix Read(string path)
    {
        var rows = new List<int[]>();
        var users = new List<int>();
        var maxItem = -1;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                continue;
            }
            var items = new int[parts.Length - 1];
            for (var i = 1; i < parts.Length; i++)
            {
                items[i - 1] = int.Parse(parts[i]);
                maxItem = Math.Max(maxItem, items[i - 1]);
            }
            Array.Sort(items);
            users.Add(int.Parse(parts[0]));
            rows.Add(items);
        }
        var userCount = users.Count == 0 ? 0 : users.Max() + 1;
        var byUser = new int[userCount][];
        for (var r = 0; r < rows.Count; r++)
        {
            byUser[users[r]] = rows[r];
        }
        var pointers = new long[userCount + 1];
        var columns = new List<int>();
        for (var u = 0; u < userCount; u++)
        {
            var row = byUser[u] ?? [];
            foreach (var item in row.Distinct())
            {
                columns.Add(item);
            }
            pointers[u + 1] = columns.Count;
        }
        var values = new float[columns.Count];
        Array.Fill(values, 1f);
        return new CsrMatrix(userCount, maxItem + 1, pointers, [.. columns], values);
    }
}
