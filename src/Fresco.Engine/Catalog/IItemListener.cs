using Fresco.Engine.Storage;

namespace Fresco.Engine.Catalog;

/// <summary>
/// Told of every change of an item's stored state by <see cref="ItemCatalog"/>, under the catalog's write lock (so calls
/// never overlap and arrive in write order). Implementations must be quick and must not throw.
/// </summary>
internal interface IItemListener
{
    /// <summary>The item's state now: its stored row (an item created by feedback has an empty one), or null once deleted.</summary>
    void ItemChanged(int itemIndex, Item? item);
}
