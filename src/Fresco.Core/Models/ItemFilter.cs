namespace Fresco.Core.Models;

/// <summary>
/// A set of allowed items (a category, the in-stock catalog) as a bit set; <see cref="Apply"/> masks every
/// other item. Immutable after construction; thread-safe.
/// </summary>
public sealed class ItemFilter
{
    private readonly ulong[] _bits;

    public ItemFilter(int itemCount, IEnumerable<int> allowedItems)
    {
        ItemCount = itemCount;
        _bits = new ulong[(itemCount + 63) >> 6];
        foreach (var item in allowedItems)
        {
            if ((uint)item < (uint)itemCount)
            {
                _bits[item >> 6] |= 1UL << (item & 63);
            }
        }
    }

    public int ItemCount { get; }

    public bool Contains(int itemIndex) =>
        (uint)itemIndex < (uint)ItemCount && (_bits[itemIndex >> 6] & (1UL << (itemIndex & 63))) != 0;

    /// <summary>Writes negative infinity over every item not in the set.</summary>
    public void Apply(Span<float> scores)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            if (!Contains(i))
            {
                scores[i] = float.NegativeInfinity;
            }
        }
    }
}
