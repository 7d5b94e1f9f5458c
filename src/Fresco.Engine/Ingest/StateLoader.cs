using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Ingest;

/// <summary>
/// Start-up: loads the serving model, registers its user and item ids first (so its index space is a prefix of the
/// live one), then replays users, items and every stored feedback row into the <see cref="EngineState"/>. Runs once,
/// before the engine takes requests; not thread-safe.
/// </summary>
internal sealed class StateLoader(IStore store, EngineState state, ModelRegistry registry)
{
    private const int ListPage = 1000;
    private const int ReplayChunk = 4096;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var live = state.Live;
        if (await registry.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ids = registry.Current!.Ids;
            foreach (var user in ids.UserIds)
            {
                // A row the model left free (a released slot when it was trained) stays free: the indices stay a prefix.
                _ = user.Length == 0 ? live.ReserveUser() : live.EnsureUser(user);
            }
            foreach (var item in ids.ItemIds)
            {
                _ = item.Length == 0 ? live.ReserveItem() : live.EnsureItem(item);
            }
        }
        await foreach (var user in AllAsync(store.ListUsersAsync, cancellationToken).ConfigureAwait(false))
        {
            live.RegisterUser(user.UserId);
        }
        await foreach (var item in AllAsync(store.ListItemsAsync, cancellationToken).ConfigureAwait(false))
        {
            state.Catalog.Upsert(live.EnsureItem(item.ItemId), item);
        }
        var chunk = new List<LiveEvent>(ReplayChunk);
        await foreach (var f in store.ReadAllFeedbackAsync(cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(new LiveEvent(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp));
            if (chunk.Count == ReplayChunk)
            {
                Replay(chunk);
            }
        }
        Replay(chunk);
    }

    /// <summary>Every row of a cursor-paged listing, page after page.</summary>
    private static async IAsyncEnumerable<T> AllAsync<T>(Func<string, int, CancellationToken, Task<Page<T>>> list,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var cursor = ""; ;)
        {
            var page = await list(cursor, ListPage, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Items)
            {
                yield return row;
            }
            if ((cursor = page.Cursor).Length == 0)
            {
                yield break;
            }
        }
    }

    private void Replay(List<LiveEvent> chunk)
    {
        var live = state.Live;
        live.Apply(CollectionsMarshal.AsSpan(chunk));
        foreach (var e in chunk)
        {
            state.Catalog.EnsureExists(live.EnsureItem(e.ItemId), e.ItemId);
        }
        state.AddEvents(chunk.Count);
        chunk.Clear();
    }
}
