using Fresco.Core.Data;
using Fresco.Core.Data.Readers;

namespace Fresco.Engine.Storage;

/// <summary>
/// Moves a data set into a store and back: <see cref="ImportAsync"/> writes items (with categories) and feedback
/// the way the HTTP API would (Gorse semantics: one row per (type, user, item), the first one kept);
/// <see cref="ReadAsync"/> reads a store's feedback and categories as a <see cref="DataSet"/> for offline
/// evaluation and training. Thread-safe (static; the store is).
/// </summary>
public static class StoreImport
{
    /// <summary>What an import wrote: items, feedback rows, and events collapsed onto an existing key.</summary>
    public readonly record struct Result(int Items, long Feedback, long Collapsed);

    /// <summary>
    /// Writes <paramref name="data"/>'s items with categories and all its interactions (a split's test part too).
    /// Events without a timestamp get one second apart from the Unix epoch, in file order, so order stands for time.
    /// </summary>
    public static async Task<Result> ImportAsync(IStore store, DataSet data, int batchSize = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var table = data.AllInteractions();
        var items = 0;
        if (data.ItemCategories is { Count: > 0 } categories)
        {
            foreach (var chunk in categories.Chunk(batchSize))
            {
                var batch = Array.ConvertAll(chunk, pair => new Item(table.Items.GetId(pair.Key), false, pair.Value, [], "", DateTimeOffset.UnixEpoch));
                items += await store.InsertItemsAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        long written = 0;
        var rows = table.Rows.ToArray();
        for (var start = 0; start < rows.Length; start += batchSize)
        {
            var length = Math.Min(batchSize, rows.Length - start);
            var batch = new Feedback[length];
            for (var i = 0; i < length; i++)
            {
                var row = rows[start + i];
                var time = row.Timestamp > 0 ? DateTimeOffset.FromUnixTimeSeconds(row.Timestamp) : DateTimeOffset.UnixEpoch.AddSeconds(start + i + 1);
                batch[i] = new Feedback(table.EventTypes.GetId(row.EventType), table.Users.GetId(row.UserIndex), table.Items.GetId(row.ItemIndex), row.Value, time);
            }
            written += await store.InsertFeedbackAsync(batch, overwrite: false, autoCreate: true, cancellationToken).ConfigureAwait(false);
        }
        return new Result(items, written, rows.Length - written);
    }

    /// <summary>All of a store's feedback (insertion order) and item categories as a data set named <paramref name="name"/>.</summary>
    public static async Task<DataSet> ReadAsync(IStore store, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var table = new InteractionTable();
        long rows = 0;
        await foreach (var feedback in store.ReadAllFeedbackAsync(cancellationToken).ConfigureAwait(false))
        {
            table.Add(feedback.UserId, feedback.ItemId, feedback.FeedbackType, (float)feedback.Value, feedback.Timestamp.ToUnixTimeSeconds());
            rows++;
        }
        var categories = new Dictionary<int, string[]>();
        var cursor = "";
        while (true)
        {
            var page = await store.ListItemsAsync(cursor, 10_000, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                if (item.Categories.Length > 0 && table.Items.TryGetIndex(item.ItemId, out var index))
                {
                    categories[index] = item.Categories;
                }
            }
            if (page.Items.Count == 0 || string.IsNullOrEmpty(page.Cursor))
            {
                break;
            }
            cursor = page.Cursor;
        }
        return new DataSet(name, table, null, categories.Count > 0 ? categories : null, new ReadReport("store", rows, 0, []));
    }
}
