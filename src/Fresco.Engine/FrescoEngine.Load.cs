using Fresco.Engine.Realtime;

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
        for (var cursor = ""; ;)
        {
            var page = await _store.ListUsersAsync(cursor, ListPage, cancellationToken).ConfigureAwait(false);
            foreach (var user in page.Items)
            {
                _users.Set(_live.EnsureUser(user.UserId), true);
            }
            if ((cursor = page.Cursor).Length == 0)
            {
                break;
            }
        }
        for (var cursor = ""; ;)
        {
            var page = await _store.ListItemsAsync(cursor, ListPage, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                _catalog.Upsert(_live.EnsureItem(item.ItemId), item);
            }
            if ((cursor = page.Cursor).Length == 0)
            {
                break;
            }
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
