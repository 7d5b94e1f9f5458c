using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Engine.Models;

/// <summary>
/// The outside ids of a model's rows and columns: user index i of the model is <see cref="UserIds"/>[i], item index j
/// is <see cref="ItemIds"/>[j]. Stored with every model version so that a version loaded after a restart (or rolled
/// back to) is mapped by id, never by position alone. Immutable; thread-safe.
/// </summary>
public sealed class ModelIdSpace
{
    public ModelIdSpace(string[] userIds, string[] itemIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        UserIds = userIds;
        ItemIds = itemIds;
    }

    public IReadOnlyList<string> UserIds { get; }

    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Throws <see cref="ArgumentException"/> when the id lists do not match the model's dimensions.</summary>
    public void CheckMatches(IRecommender model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (ItemIds.Count != model.ItemCount || (model.UserCount > 0 && UserIds.Count != model.UserCount))
        {
            throw new ArgumentException(
                $"{UserIds.Count} user ids and {ItemIds.Count} item ids do not match a model of {model.UserCount} users and {model.ItemCount} items.");
        }
    }

    internal void Write(ModelWriter writer)
    {
        writer.WriteStrings(UserIds);
        writer.WriteStrings(ItemIds);
    }

    internal static ModelIdSpace Read(ModelReader reader) => new(reader.ReadStrings(), reader.ReadStrings());
}
