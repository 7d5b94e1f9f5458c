using Fresco.Core.Models;

namespace Fresco.Core.Serialization;

/// <summary>
/// The versioned model file: a header (magic "FRESCOMD", format version, model kind, the kind's own body
/// version) followed by the model's body. Loading dispatches on the kind through a caller-given table, never
/// by reflection. Thread-safe (static).
/// </summary>
public static class ModelFile
{
    public const int FormatVersion = 1;

    private static readonly byte[] s_magic = "FRESCOMD"u8.ToArray();

    /// <summary>Writes the header and the model to <paramref name="stream"/>.</summary>
    public static void Save(IRecommender model, int bodyVersion, Stream stream)
    {
        stream.Write(s_magic);
        using var writer = new ModelWriter(stream, leaveOpen: true);
        writer.Write(FormatVersion);
        writer.Write(model.Kind);
        writer.Write(bodyVersion);
        model.Save(writer);
        writer.Flush();
    }

    /// <summary>Writes the model to a file atomically (a temporary file renamed over the target).</summary>
    public static void Save(IRecommender model, int bodyVersion, string path)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Save(model, bodyVersion, stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the header; returns the kind and its body version, the reader positioned at the body.</summary>
    public static (string Kind, int BodyVersion) ReadHeader(Stream stream, out ModelReader reader)
    {
        Span<byte> magic = stackalloc byte[8];
        if (stream.ReadAtLeast(magic, 8, throwOnEndOfStream: false) != 8 || !magic.SequenceEqual(s_magic))
        {
            throw new InvalidDataException("Not a Fresco model file (bad magic).");
        }
        reader = new ModelReader(stream, leaveOpen: true);
        var format = reader.ReadInt32();
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"Model file format {format} is not supported (this build reads {FormatVersion}).");
        }
        return (reader.ReadString(), reader.ReadInt32());
    }

    /// <summary>Loads a model from <paramref name="stream"/> with the loader registered for its kind.</summary>
    public static IRecommender Load(Stream stream, IReadOnlyDictionary<string, Func<ModelReader, int, IRecommender>> loaders)
    {
        var (kind, bodyVersion) = ReadHeader(stream, out var reader);
        using (reader)
        {
            if (!loaders.TryGetValue(kind, out var load))
            {
                throw new InvalidDataException($"Unknown model kind '{kind}' in model file.");
            }
            return load(reader, bodyVersion);
        }
    }

    public static IRecommender Load(string path, IReadOnlyDictionary<string, Func<ModelReader, int, IRecommender>> loaders)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Load(stream, loaders);
    }
}
