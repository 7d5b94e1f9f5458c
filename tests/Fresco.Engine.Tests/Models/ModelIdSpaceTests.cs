using Fresco.Core.Data;
using Fresco.Core.Serialization;
using Fresco.Engine.Models;
using Xunit;

namespace Fresco.Engine.Tests.Models;

/// <summary><see cref="ModelIdSpace"/>: stored form (both versions) and the history fingerprints.</summary>
public sealed class ModelIdSpaceTests
{
    [Fact]
    public void IdsAndHistoriesRoundTrip()
    {
        var ids = ModelIdSpace.Of(Matrix((0, 0, 1f), (0, 2, 3f), (1, 1, 2f)), ["u0", "u1"], ["a", "b", "c"]);
        var read = RoundTrip(ids.Write);

        Assert.Equal(["u0", "u1"], read.UserIds);
        Assert.Equal(["a", "b", "c"], read.ItemIds);
        Assert.Equal(ids.UserHistories, read.UserHistories);
        Assert.NotEqual(ids.UserHistories![0], ids.UserHistories[1]);
    }

    [Fact]
    public void TheFormStoredBeforeFingerprintsIsStillRead()
    {
        var read = RoundTrip(writer =>
        {
            writer.WriteStrings(["u0", "u1", "u2"]);
            writer.WriteStrings(["a"]);
        });

        Assert.Equal(["u0", "u1", "u2"], read.UserIds);
        Assert.Equal(["a"], read.ItemIds);
        Assert.Null(read.UserHistories);
    }

    [Fact]
    public void AFingerprintDependsOnItemIdsAndWeightsNotOnNumbering()
    {
        var first = ModelIdSpace.Of(Matrix((0, 0, 1f), (0, 1, 2.5f)), ["u"], ["a", "b"]).UserHistories![0];
        var renumbered = ModelIdSpace.Of(Matrix((0, 0, 2.5f), (0, 2, 1f)), ["u"], ["b", "x", "a"]).UserHistories![0];
        var otherWeight = ModelIdSpace.Of(Matrix((0, 0, 1f), (0, 1, 2.0f)), ["u"], ["a", "b"]).UserHistories![0];
        var otherItem = ModelIdSpace.Of(Matrix((0, 0, 1f), (0, 1, 2.5f)), ["u"], ["a", "c"]).UserHistories![0];
        var fewer = ModelIdSpace.Of(Matrix((0, 0, 1f)), ["u"], ["a", "b"]).UserHistories![0];

        Assert.Equal(first, renumbered);
        Assert.Equal(4, new[] { first, otherWeight, otherItem, fewer }.Distinct().Count());
    }

    [Fact]
    public void FingerprintsMustMatchTheUsers() =>
        Assert.Throws<ArgumentException>(() => new ModelIdSpace(["u0", "u1"], ["a"], [1UL]));

    private static CsrMatrix Matrix(params (int User, int Item, float Weight)[] cells)
    {
        var builder = new CsrBuilder(cells.Max(c => c.User) + 1, cells.Max(c => c.Item) + 1);
        foreach (var (user, item, weight) in cells)
        {
            builder.Add(user, item, weight);
        }
        return builder.Build();
    }

    private static ModelIdSpace RoundTrip(Action<ModelWriter> write)
    {
        var bytes = new MemoryStream();
        using (var writer = new ModelWriter(bytes, leaveOpen: true))
        {
            write(writer);
        }
        bytes.Position = 0;
        using var reader = new ModelReader(bytes);
        return ModelIdSpace.Read(reader);
    }
}
