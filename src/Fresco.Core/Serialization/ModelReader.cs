using System.Runtime.InteropServices;
using System.Text;

namespace Fresco.Core.Serialization;

/// <summary>Reads what <see cref="ModelWriter"/> wrote; a truncated or corrupt body throws <see cref="InvalidDataException"/>. Not thread-safe.</summary>
public sealed class ModelReader : IDisposable
{
    private readonly BinaryReader _reader;

    public ModelReader(Stream stream, bool leaveOpen = false)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files are little-endian; this machine is not.");
        }
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen);
    }

    public int ReadInt32() => Guard(_reader.ReadInt32);

    public long ReadInt64() => Guard(_reader.ReadInt64);

    public float ReadSingle() => Guard(_reader.ReadSingle);

    public double ReadDouble() => Guard(_reader.ReadDouble);

    public bool ReadBoolean() => Guard(_reader.ReadBoolean);

    public string ReadString() => Guard(_reader.ReadString);

    public T[] ReadArray<T>() where T : unmanaged
    {
        var length = ReadInt64();
        var size = Marshal.SizeOf<T>();
        if (length < 0 || length > Array.MaxLength || length * size > _reader.BaseStream.Length - _reader.BaseStream.Position)
        {
            throw new InvalidDataException($"Model file is corrupt: an array of {length} elements does not fit in what is left of the file.");
        }
        var values = new T[length];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        _reader.BaseStream.ReadExactly(bytes);
        return values;
    }

    public string[] ReadStrings()
    {
        var count = ReadInt32();
        if (count < 0)
        {
            throw new InvalidDataException("Model file is corrupt: negative string count.");
        }
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = ReadString();
        }
        return values;
    }

    public IReadOnlyDictionary<string, string> ReadOptions()
    {
        var count = ReadInt32();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            options[ReadString()] = ReadString();
        }
        return options;
    }

    public void Dispose() => _reader.Dispose();

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Model file is truncated.", e);
        }
    }
}
