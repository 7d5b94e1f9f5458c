using Fresco.Core.Data;

namespace Fresco.Core.Models;

/// <summary>
/// What a trainer learns from: the weighted users x items matrix and, for models that need them, the raw
/// events (times, types) and item categories. Immutable; shared by concurrent trainers.
/// </summary>
public sealed class TrainingData
{
    public TrainingData(CsrMatrix userItems, InteractionTable? interactions = null, CsrMatrix? itemCategories = null)
    {
        if (itemCategories is not null && itemCategories.Rows != userItems.Columns)
        {
            throw new ArgumentException("Item categories must have one row per item.", nameof(itemCategories));
        }
        UserItems = userItems;
        Interactions = interactions;
        ItemCategories = itemCategories;
    }

    /// <summary>Users x items, summed event weights; rows are users, columns items.</summary>
    public CsrMatrix UserItems { get; }

    /// <summary>The raw events behind the matrix, when the trainer may use times and types.</summary>
    public InteractionTable? Interactions { get; }

    /// <summary>Items x categories (1 where the item is in the category), when known.</summary>
    public CsrMatrix? ItemCategories { get; }

    public int UserCount => UserItems.Rows;

    public int ItemCount => UserItems.Columns;
}
