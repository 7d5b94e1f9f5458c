using Fresco.Core.Data;
using Fresco.Core.Serialization;
using Xunit;

namespace Fresco.Core.Tests.Serialization;

public sealed class ModelIdsTests
{
    [Fact]
    public void SaveThenLoadKeepsIdsAndHistory()
    {
        using var files = new TempFiles();
        var builder = new CsrBuilder(2, 3);
        builder.Add(0, 2, 1.5f);
        builder.Add(1, 0, 3f);
        builder.Add(1, 1, 1f);
        var ids = new ModelIds(IdMap.FromIds(["alice", "bob"]), IdMap.FromIds(["x", "y", "z"]), builder.Build());
        var path = ModelIds.PathFor(Path.Combine(files.Root, "m.bin"));
        Assert.EndsWith("m.bin.ids", path);
        ids.Save(path);

        var loaded = ModelIds.Load(path);
        Assert.Equal(["alice", "bob"], loaded.Users.Ids);
        Assert.Equal(["x", "y", "z"], loaded.Items.Ids);
        Assert.Equal([0, 1], loaded.History.RowIndices(1).ToArray());
        Assert.Equal(1.5f, loaded.History.Get(0, 2));
    }

    [Fact]
    public void MismatchedOrForeignFilesAreRejected()
    {
        using var files = new TempFiles();
        var matrix = new CsrBuilder(1, 1).Build();
        Assert.Throws<ArgumentException>(() => new ModelIds(IdMap.FromIds(["a", "b"]), IdMap.FromIds(["x"]), matrix));
        Assert.Throws<InvalidDataException>(() => ModelIds.Load(files.Write("junk.ids", "FRESCOMDxxxx")));
        Assert.Throws<InvalidDataException>(() => ModelIds.Load(Path.Combine(files.Root, "absent.ids")));
    }
}
