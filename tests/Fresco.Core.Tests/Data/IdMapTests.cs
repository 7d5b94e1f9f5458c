using Fresco.Core.Data;
using Xunit;

namespace Fresco.Core.Tests.Data;

public sealed class IdMapTests
{
    [Fact]
    public void IndicesAreDenseAndStable()
    {
        var map = new IdMap();
        Assert.Equal(0, map.GetOrAdd("b"));
        Assert.Equal(1, map.GetOrAdd("a"));
        Assert.Equal(0, map.GetOrAdd("b"));
        Assert.Equal(2, map.Count);
        Assert.Equal("a", map.GetId(1));
        Assert.True(map.TryGetIndex("a".AsSpan(), out var index));
        Assert.Equal(1, index);
        Assert.False(map.TryGetIndex("c", out _));
    }

    [Fact]
    public void EmptyIdIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new IdMap().GetOrAdd(""));
    }
}
