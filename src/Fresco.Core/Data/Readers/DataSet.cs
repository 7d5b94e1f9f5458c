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
    ReadReport Report);
