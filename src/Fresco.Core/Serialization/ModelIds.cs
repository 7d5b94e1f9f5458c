using Fresco.Core.Data;

namespace Fresco.Core.Serialization;

/// <summary>
/// What a saved model needs beside its own file to serve outside ids: the user and item id lists (index i is
/// id i) and the users x items training matrix (each known user's history, to exclude seen items). Stored as
/// <c>&lt;model file&gt;.ids</c>: magic "FRESCOID", a format version, the two id lists and the matrix.
/// Immutable; thread-safe.
/// </summary>
public sealed class ModelIds
{
    public const int FormatVersion = 1;

    public const string Extension = ".ids";

    private static readonly byte[] s_magic = "FRESCOID"u8.ToArray();

    public ModelIds(IdMap users, IdMap items, CsrMatrix history)
    {
        if (history.Rows != users.Count || history.Columns != items.Count)
        {
            throw new ArgumentException($"A {history.Rows} x {history.Columns} history does not match {users.Count} users and {items.Count} items.", nameof(history));
        }
        Users = users;
        Items = items;
        History = history;
    }

    public IdMap Users { get; }

    public IdMap Items { get; }

    /// <summary>Users x items: the weighted interactions the model was trained on.</summary>
    public CsrMatrix History { get; }

    /// <summary>The sidecar path for <paramref name="modelPath"/>.</summary>
    public static string PathFor(string modelPath) => modelPath + Extension;

    /// <summary>Writes the sidecar atomically (a temporary file renamed over the target).</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(s_magic);
            using (var writer = new ModelWriter(stream, leaveOpen: true))
            {
                writer.Write(FormatVersion);
                writer.WriteStrings(Users.Ids);
                writer.WriteStrings(Items.Ids);
                writer.WriteArray(History.RowPointers);
                writer.WriteArray(History.ColumnIndices);
                writer.WriteArray(History.Values);
                writer.Flush();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a sidecar; a missing, foreign or corrupt file throws <see cref="InvalidDataException"/>.</summary>
    public static ModelIds Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: id file not found (it is written beside the model by 'fresco train').");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> magic = stackalloc byte[8];
        if (stream.ReadAtLeast(magic, 8, throwOnEndOfStream: false) != 8 || !magic.SequenceEqual(s_magic))
        {
            throw new InvalidDataException($"{path}: not a Fresco id file (bad magic).");
        }
        using var reader = new ModelReader(stream, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"{path}: id file format {version} is not supported (this build reads {FormatVersion}).");
        }
        var users = IdMap.FromIds(reader.ReadStrings());
        var items = IdMap.FromIds(reader.ReadStrings());
        try
        {
            var history = new CsrMatrix(users.Count, items.Count, reader.ReadArray<long>(), reader.ReadArray<int>(), reader.ReadArray<float>());
            return new ModelIds(users, items, history);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: corrupt id file ({e.Message})", e);
        }
    }
}
