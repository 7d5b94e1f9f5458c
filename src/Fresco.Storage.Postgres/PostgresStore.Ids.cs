using Npgsql;
using NpgsqlTypes;

namespace Fresco.Storage.Postgres;

/// <summary>
/// Users and items a group's feedback inserts create, made to exist before the group's transaction, in a short transaction
/// of their own. Inside the group's transaction, a new id would hold its row lock until that (long) transaction commits:
/// every other node's group naming the same id waits behind it, so the nodes' commits ran one after another, and ids taken
/// in different orders by different statements of one group deadlocked (40 deadlocks per 100,000 events through a
/// 3-replica cluster). Here all of a group's new ids are inserted by one transaction, users then items, each in id order,
/// so concurrent nodes take them in one global order (no deadlock) and hold them only for this short commit. It commits
/// with <c>synchronous_commit = off</c>: the group's own commit, later in the same write-ahead log, flushes it too, and if
/// the group fails the ids stay, as empty users and items (harmless: an id is only a row with defaults). The feedback
/// statement still creates what is missing (an id deleted in between, by this node or another). Ids known to exist
/// are skipped, so once the catalog is known the step costs nothing.
/// </summary>
public sealed partial class PostgresStore
{
    /// <summary>Ids the writer remembers as existing before the set is cleared (a miss only costs one insert that finds them).</summary>
    private const int KnownIdCapacity = 1 << 20;

    private const string CreateIdsSql = """
        SET LOCAL synchronous_commit = off;
        INSERT INTO users (user_id) SELECT u FROM unnest(@users) AS u ORDER BY u ON CONFLICT DO NOTHING;
        INSERT INTO items (item_id) SELECT i FROM unnest(@items) AS i ORDER BY i ON CONFLICT DO NOTHING;
        """;

    // The writer loop alone uses these (ids it created or found); a deleted id stays in them, see above.
    private readonly HashSet<string> _knownUsers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownItems = new(StringComparer.Ordinal);

    /// <summary>Creates the users and items the group's auto-creating feedback names and the writer does not know.</summary>
    private async Task CreateIdsAsync(NpgsqlConnection writer, IReadOnlyList<PostgresWrite> group)
    {
        SortedSet<string>? users = null;
        SortedSet<string>? items = null;
        foreach (var request in group)
        {
            foreach (var row in request.Creates ?? [])
            {
                if (!_knownUsers.Contains(row.UserId))
                {
                    (users ??= new SortedSet<string>(StringComparer.Ordinal)).Add(row.UserId);
                }
                if (!_knownItems.Contains(row.ItemId))
                {
                    (items ??= new SortedSet<string>(StringComparer.Ordinal)).Add(row.ItemId);
                }
            }
        }

        if (users is null && items is null)
        {
            return;
        }

        string[] newUsers = users is null ? [] : [.. users];
        string[] newItems = items is null ? [] : [.. items];
        await using (var transaction = await writer.BeginTransactionAsync().ConfigureAwait(false))
        {
            await using var command = Command(writer, CreateIdsSql, transaction);
            command.Parameters.Add(new NpgsqlParameter<string[]>("users", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = newUsers });
            command.Parameters.Add(new NpgsqlParameter<string[]>("items", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = newItems });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        Remember(_knownUsers, newUsers);
        Remember(_knownItems, newItems);
    }

    private static void Remember(HashSet<string> known, string[] ids)
    {
        if (known.Count + ids.Length > KnownIdCapacity)
        {
            known.Clear();
        }
        known.UnionWith(ids);
    }
}
