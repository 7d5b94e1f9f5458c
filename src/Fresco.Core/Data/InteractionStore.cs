using Fresco.Core.Serialization;

namespace Fresco.Core.Data;

/// <summary>
/// A versioned binary snapshot of an <see cref="InteractionTable"/> in a folder (<c>interactions.bin</c>): the
/// magic "FRESCOIS", a format version, the user, item and event-type ids, the rows as column arrays and the
/// item categories. Written atomically (a temporary file renamed over the target). Thread-safe (static).
/// </summary>
public static class InteractionStore
{
    public const string FileName = "interactions.bin";

    public const int FormatVersion = 1;

    private static readonly byte[] s_magic = "FRESCOIS"u8.ToArray();

    /// <summary>Writes <paramref name="table"/> (and its item categories, when given) to <paramref name="directory"/>/interactions.bin, creating the folder.</summary>
    public static string Save(string directory, InteractionTable table, IReadOnlyDictionary<int, string[]>? itemCategories = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(s_magic);
            using (var writer = new ModelWriter(stream, leaveOpen: true))
            {
                writer.Write(FormatVersion);
                writer.WriteStrings(table.Users.Ids);
                writer.WriteStrings(table.Items.Ids);
                writer.WriteStrings(table.EventTypes.Ids);
                var rows = table.Rows;
                writer.WriteArray<int>(Column(rows, static r => r.UserIndex));
                writer.WriteArray<int>(Column(rows, static r => r.ItemIndex));
                writer.WriteArray<int>(Column(rows, static r => r.EventType));
                writer.WriteArray<float>(Column(rows, static r => r.Value));
                writer.WriteArray<long>(Column(rows, static r => r.Timestamp));
                writer.Write(itemCategories?.Count ?? 0);
                foreach (var (item, categories) in itemCategories ?? new Dictionary<int, string[]>())
                {
                    writer.Write(item);
                    writer.WriteStrings(categories);
                }
                writer.Flush();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Reads the snapshot in <paramref name="directory"/>; a missing, foreign or corrupt file throws <see cref="InvalidDataException"/>.</summary>
    public static InteractionTable Load(string directory, out IReadOnlyDictionary<int, string[]>? itemCategories)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{directory}: no {FileName} (import data with 'fresco import' first).");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> magic = stackalloc byte[8];
        if (stream.ReadAtLeast(magic, 8, throwOnEndOfStream: false) != 8 || !magic.SequenceEqual(s_magic))
        {
            throw new InvalidDataException($"{path}: not a Fresco interaction store (bad magic).");
        }
        using var reader = new ModelReader(stream, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: store format {version} is not supported (this build reads {FormatVersion}).");
        }
        var users = IdMap.FromIds(reader.ReadStrings());
        var items = IdMap.FromIds(reader.ReadStrings());
        var types = IdMap.FromIds(reader.ReadStrings());
        var userIndices = reader.ReadArray<int>();
        var itemIndices = reader.ReadArray<int>();
        var typeIndices = reader.ReadArray<int>();
        var values = reader.ReadArray<float>();
        var timestamps = reader.ReadArray<long>();
        var count = userIndices.Length;
        if (itemIndices.Length != count || typeIndices.Length != count || values.Length != count || timestamps.Length != count)
        {
            throw new InvalidDataException($"{path}: corrupt store (column lengths differ).");
        }
        var table = new InteractionTable(users, items, types, count);
        for (var i = 0; i < count; i++)
        {
            if ((uint)userIndices[i] >= (uint)users.Count || (uint)itemIndices[i] >= (uint)items.Count || (uint)typeIndices[i] >= (uint)types.Count)
            {
                throw new InvalidDataException($"{path}: corrupt store (row {i} refers to an unknown id).");
            }
            table.Add(new Interaction(userIndices[i], itemIndices[i], typeIndices[i], values[i], timestamps[i]));
        }
        var categoryCount = reader.ReadInt32();
        var categories = new Dictionary<int, string[]>(categoryCount);
        for (var i = 0; i < categoryCount; i++)
        {
            categories[reader.ReadInt32()] = reader.ReadStrings();
        }
        itemCategories = categoryCount > 0 ? categories : null;
        return table;
    }

    private static T[] Column<T>(ReadOnlySpan<Interaction> rows, Func<Interaction, T> select)
    {
        var values = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = select(rows[i]);
        }
        return values;
    }
}
