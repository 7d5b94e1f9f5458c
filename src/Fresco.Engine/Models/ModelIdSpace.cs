using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Engine.Models;

/// <summary>
/// The outside ids of a model's rows and columns: user index i of the model is <see cref="UserIds"/>[i], item index j
/// is <see cref="ItemIds"/>[j]. Stored with every model version so that a version loaded after a restart (or rolled
/// back to) is mapped by id, never by position alone. <see cref="UserHistories"/>, when known, holds a
/// <see cref="HistoryFingerprint"/> of each user's row of the training matrix. Immutable; thread-safe.
/// </summary>
public sealed class ModelIdSpace
{
    /// <summary>First int of the stored form since fingerprints were added (the older form starts with a count).</summary>
    private const int FormatWithHistories = -2;

    public ModelIdSpace(string[] userIds, string[] itemIds, ulong[]? userHistories = null)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        if (userHistories is not null && userHistories.Length != userIds.Length)
        {
            throw new ArgumentException($"{userHistories.Length} history fingerprints for {userIds.Length} users.", nameof(userHistories));
        }
        UserIds = userIds;
        ItemIds = itemIds;
        UserHistories = userHistories;
    }

    public IReadOnlyList<string> UserIds { get; }

    public IReadOnlyList<string> ItemIds { get; }

    /// <summary>Each user's history fingerprint when the model was trained; null when not recorded.</summary>
    public IReadOnlyList<ulong>? UserHistories { get; }

    /// <summary>The ids of a users x items training matrix, with each row's history fingerprint.</summary>
    public static ModelIdSpace Of(CsrMatrix userItems, string[] userIds, string[] itemIds)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        var itemHashes = HistoryFingerprint.ItemHashes(itemIds.Length, i => itemIds[i]);
        var histories = new ulong[userIds.Length];
        for (var u = 0; u < histories.Length && u < userItems.Rows; u++)
        {
            histories[u] = HistoryFingerprint.Of(userItems.RowIndices(u), userItems.RowValues(u), itemHashes);
        }
        return new ModelIdSpace(userIds, itemIds, histories);
    }

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
        writer.Write(FormatWithHistories);
        writer.WriteStrings(UserIds);
        writer.WriteStrings(ItemIds);
        writer.Write(UserHistories is not null);
        if (UserHistories is not null)
        {
            writer.WriteArray<ulong>([.. UserHistories]);
        }
    }

    internal static ModelIdSpace Read(ModelReader reader)
    {
        var first = reader.ReadInt32();
        if (first != FormatWithHistories)
        {
            // The form stored before fingerprints: the user ids' count, the user ids, then the item ids.
            if (first < 0)
            {
                throw new InvalidDataException("Model file is corrupt: negative user id count.");
            }
            var users = new string[first];
            for (var i = 0; i < users.Length; i++)
            {
                users[i] = reader.ReadString();
            }
            return new ModelIdSpace(users, reader.ReadStrings());
        }
        var userIds = reader.ReadStrings();
        var itemIds = reader.ReadStrings();
        return new ModelIdSpace(userIds, itemIds, reader.ReadBoolean() ? reader.ReadArray<ulong>() : null);
    }
}
