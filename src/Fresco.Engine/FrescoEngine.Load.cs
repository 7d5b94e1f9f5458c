using System.Runtime.CompilerServices;
using Fresco.Engine.Realtime;
using Fresco.Engine.Storage;

namespace Fresco.Engine;

/// <summary>Start-up: the serving model's ids first, then users, items and every stored feedback row.</summary>
public sealed partial class FrescoEngine
{
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (await _registry.LoadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ids = _registry.Current!.Ids;
            foreach (var user in ids.UserIds)
            {
                _live.EnsureUser(user);
            }
            foreach (var item in ids.ItemIds)
            {
                _live.EnsureItem(item);
            }
        }
        await foreach (var user in AllAsync(_store.ListUsersAsync, cancellationToken).ConfigureAwait(false))
        {
            _users.Set(_live.EnsureUser(user.UserId), true);
        }
        await foreach (var item in AllAsync(_store.ListItemsAsync, cancellationToken).ConfigureAwait(false))
        {
            _catalog.Upsert(_live.EnsureItem(item.ItemId), item);
        }
        var chunk = new List<LiveEvent>(ReplayChunk);
        await foreach (var f in _store.ReadAllFeedbackAsync(cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(new LiveEvent(f.UserId, f.ItemId, f.FeedbackType, (float)f.Value, f.Timestamp));
            if (chunk.Count == ReplayChunk)
            {
                Replay(chunk);
            }
        }
        Replay(chunk);
        RestoreModelRows();
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
        _live.Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chunk));
        foreach (var e in chunk)
        {
            _users.Set(_live.EnsureUser(e.UserId), true);
            _catalog.EnsureExists(_live.EnsureItem(e.ItemId));
        }
        _events += chunk.Count;
        chunk.Clear();
    }
}
