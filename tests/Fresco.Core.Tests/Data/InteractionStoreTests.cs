using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Xunit;

namespace Fresco.Core.Tests.Data;

public sealed class InteractionStoreTests
{
    [Fact]
    public void SaveThenLoadGivesTheSameTable()
    {
        using var files = new TempFiles();
        var table = new InteractionTable();
        table.Add("u1", "i1", "view", 1f, 100);
        table.Add("u2", "i2", "buy", 2.5f, 200);
        table.Add("u1", "i2", "view", 1f, 300);
        var dir = Path.Combine(files.Root, "store");
        InteractionStore.Save(dir, table, new Dictionary<int, string[]> { [1] = ["shoes", "red"] });

        var loaded = InteractionStore.Load(dir, out var categories);
        Assert.Equal(table.Rows.ToArray(), loaded.Rows.ToArray());
        Assert.Equal(table.Users.Ids, loaded.Users.Ids);
        Assert.Equal(table.Items.Ids, loaded.Items.Ids);
        Assert.Equal(table.EventTypes.Ids, loaded.EventTypes.Ids);
        Assert.Equal(["shoes", "red"], categories![1]);

        var data = DataReader.Read(dir);
        Assert.Equal(("store", "store", 3), (data.Report.Format, data.Name, data.Interactions.Count));
        Assert.Equal(3, DataReader.Read(Path.Combine(dir, InteractionStore.FileName)).Interactions.Count);
    }

    [Fact]
    public void ForeignOrTruncatedFilesAreRejected()
    {
        using var files = new TempFiles();
        files.Write("bad/interactions.bin", "not a store at all");
        Assert.Throws<InvalidDataException>(() => InteractionStore.Load(Path.Combine(files.Root, "bad"), out _));
        Assert.Throws<InvalidDataException>(() => InteractionStore.Load(Path.Combine(files.Root, "none"), out _));

        var table = new InteractionTable();
        table.Add("u", "i", "view");
        var path = InteractionStore.Save(Path.Combine(files.Root, "cut"), table);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^12]);
        Assert.Throws<InvalidDataException>(() => InteractionStore.Load(Path.Combine(files.Root, "cut"), out _));
    }
}
