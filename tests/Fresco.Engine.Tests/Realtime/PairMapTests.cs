using Fresco.Engine.Realtime;
using Xunit;

namespace Fresco.Engine.Tests.Realtime;

/// <summary><see cref="PairMap"/> against a dictionary, over seeded random sets and removes.</summary>
public sealed class PairMapTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 600)]
    [InlineData(3, 5000)]
    public void AgreesWithADictionaryAndKeepsItemsAscending(int seed, int operations)
    {
        var random = new Random(seed);
        var map = new PairMap();
        var reference = new Dictionary<int, UserState.Pair>();
        for (var op = 0; op < operations; op++)
        {
            var item = random.Next(200);
            if (random.Next(4) == 0)
            {
                Assert.Equal(reference.Remove(item), map.Remove(item));
            }
            else
            {
                var pair = new UserState.Pair(random.Next(-3, 10), random.Next(1000), (ulong)random.Next(16));
                reference[item] = pair;
                map.Set(item, pair);
            }
            Assert.Equal(reference.Count, map.Count);
            Assert.Equal(reference.TryGetValue(item, out var expected), map.TryGetValue(item, out var actual));
            Assert.Equal(expected, actual);
        }

        var items = Enumerable.Range(0, map.Count).Select(map.ItemAt).ToArray();
        Assert.Equal(reference.Keys.Order(), items);
        Assert.All(Enumerable.Range(0, map.Count), i => Assert.Equal(reference[map.ItemAt(i)], map.PairAt(i)));
    }

    [Fact]
    public void ClearEmptiesAndTheMapIsUsableAgain()
    {
        var map = new PairMap();
        map.Set(5, new UserState.Pair(1, 2));
        map.Set(3, new UserState.Pair(2, 3));
        map.Clear();

        Assert.Equal(0, map.Count);
        Assert.False(map.TryGetValue(5, out _));
        Assert.False(map.Remove(3));
        map.Set(7, new UserState.Pair(4, 5));
        Assert.Equal(7, map.ItemAt(0));
        Assert.Equal(new UserState.Pair(4, 5), map.PairAt(0));
    }
}
