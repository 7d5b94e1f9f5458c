using Fresco.Core.Data;
using Xunit;

namespace Fresco.Core.Tests.Data;

public sealed class CsrMatrixTests
{
    [Fact]
    public void BuilderSortsColumnsAndSumsDuplicates()
    {
        var builder = new CsrBuilder(3, 4);
        builder.Add(0, 3, 1f);
        builder.Add(0, 1, 2f);
        builder.Add(0, 3, 4f);
        builder.Add(2, 0, 1f);
        var m = builder.Build();
        Assert.Equal(3, m.NonZeros);
        Assert.Equal([1, 3], m.RowIndices(0).ToArray());
        Assert.Equal([2f, 5f], m.RowValues(0).ToArray());
        Assert.Equal(0, m.RowLength(1));
        Assert.Equal(1f, m.Get(2, 0));
        Assert.Equal(0f, m.Get(2, 1));
    }

    [Fact]
    public void LastPolicyKeepsTheLastValueAdded()
    {
        var builder = new CsrBuilder(1, 2);
        builder.Add(0, 1, 5f);
        builder.Add(0, 0, 1f);
        builder.Add(0, 1, 2f);
        var m = builder.Build(DuplicatePolicy.Last);
        Assert.Equal([1f, 2f], m.RowValues(0).ToArray());
    }

    [Fact]
    public void NonPositiveSumsAreDroppedWhenAsked()
    {
        var builder = new CsrBuilder(1, 3);
        builder.Add(0, 0, 1f);
        builder.Add(0, 0, -5f);
        builder.Add(0, 2, 1f);
        var m = builder.Build(dropNonPositive: true);
        Assert.Equal([2], m.RowIndices(0).ToArray());
    }

    [Fact]
    public void TransposeTwiceIsTheIdentity()
    {
        var random = new Random(3);
        var builder = new CsrBuilder(50, 70);
        for (var i = 0; i < 400; i++)
        {
            builder.Add(random.Next(50), random.Next(70), random.Next(1, 5));
        }
        var m = builder.Build();
        var t = m.Transpose();
        Assert.Equal(70, t.Rows);
        Assert.Equal(m.NonZeros, t.NonZeros);
        for (var r = 0; r < 50; r++)
        {
            foreach (var c in m.RowIndices(r))
            {
                Assert.Equal(m.Get(r, c), t.Get(c, r));
            }
        }
        var back = t.Transpose();
        Assert.Equal(m.RowPointers.ToArray(), back.RowPointers.ToArray());
        Assert.Equal(m.ColumnIndices.ToArray(), back.ColumnIndices.ToArray());
        Assert.Equal(m.Values.ToArray(), back.Values.ToArray());
    }

    [Fact]
    public void OutOfRangeEntryIsRejected()
    {
        var builder = new CsrBuilder(2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(2, 0, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(0, -1, 1f));
    }
}
