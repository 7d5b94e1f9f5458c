namespace Fresco.Core.Data.Readers;

/// <summary>
/// A loaded data set: its interactions and, for pre-split sources (the <c>split</c> format), a test part over
/// the same id maps. Immutable once read.
/// </summary>
/// <param name="Name">A short name for reports (the file or folder name).</param>
/// <param name="Interactions">All interactions; for a pre-split source, the training part.</param>
/// <param name="Test">The given test part of a pre-split source; null otherwise.</param>
/// <param name="ItemCategories">Item index to category names, when the source has them.</param>
/// <param name="Report">What the reader skipped and why.</param>
public sealed record DataSet(
    string Name,
    InteractionTable Interactions,
    InteractionTable? Test,
    IReadOnlyDictionary<int, string[]>? ItemCategories,
    ReadReport Report)
{
    /// <summary>
    /// The items x categories matrix (1 where an item is in a category; columns numbered by first appearance
    /// in item order), or null when the source has no categories.
    /// </summary>
    public CsrMatrix? BuildCategoryMatrix()
    {
        if (ItemCategories is null || ItemCategories.Count == 0)
        {
            return null;
        }
        var categories = new IdMap();
        var items = ItemCategories.Keys.Order().ToArray();
        foreach (var item in items)
        {
            foreach (var name in ItemCategories[item])
            {
                categories.GetOrAdd(name);
            }
        }
        var builder = new CsrBuilder(Interactions.Items.Count, categories.Count);
        foreach (var item in items)
        {
            foreach (var name in ItemCategories[item])
            {
                categories.TryGetIndex(name, out var category);
                builder.Add(item, category, 1f);
            }
        }
        return builder.Build(DuplicatePolicy.Max);
    }

    /// <summary>The training and test parts in one table over the same id maps (the interactions alone when there is no test part).</summary>
    public InteractionTable AllInteractions()
    {
        if (Test is null)
        {
            return Interactions;
        }
        var all = new InteractionTable(Interactions.Users, Interactions.Items, Interactions.EventTypes, Interactions.Count + Test.Count);
        foreach (ref readonly var row in Interactions.Rows)
        {
            all.Add(row);
        }
        foreach (ref readonly var row in Test.Rows)
        {
            all.Add(row);
        }
        return all;
    }
}
