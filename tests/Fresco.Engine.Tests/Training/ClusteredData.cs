using Fresco.Core.Data;

namespace Fresco.Engine.Tests.Training;

/// <summary>
/// Users in taste groups: user u belongs to group u % groups and has interacted with <c>perUser</c> distinct items
/// of that group's contiguous block of items (seeded). A model that learns the groups ranks a held-out item
/// high; popularity does not.
/// </summary>
internal sealed record ClusteredData(CsrMatrix Matrix, string[] UserIds, string[] ItemIds)
{
    public static ClusteredData Create(int users = 400, int items = 200, int groups = 8, int perUser = 10, int seed = 7)
    {
        var random = new Random(seed);
        var block = items / groups;
        var builder = new CsrBuilder(users, items);
        for (var u = 0; u < users; u++)
        {
            var first = u % groups * block;
            foreach (var offset in Enumerable.Range(0, block).OrderBy(_ => random.Next()).Take(perUser))
            {
                builder.Add(u, first + offset, 1f);
            }
        }
        return new ClusteredData(builder.Build(),
            [.. Enumerable.Range(0, users).Select(u => $"u{u}")],
            [.. Enumerable.Range(0, items).Select(i => $"i{i}")]);
    }

    /// <summary>The first <paramref name="users"/> users and <paramref name="items"/> items (an older state of the same data).</summary>
    public ClusteredData Prefix(int users, int items)
    {
        var builder = new CsrBuilder(users, items);
        for (var u = 0; u < users; u++)
        {
            foreach (var item in Matrix.RowIndices(u))
            {
                if (item < items)
                {
                    builder.Add(u, item, 1f);
                }
            }
        }
        return new ClusteredData(builder.Build(), UserIds[..users], ItemIds[..items]);
    }
}
