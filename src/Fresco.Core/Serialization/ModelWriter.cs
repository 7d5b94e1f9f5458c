using System.Runtime.InteropServices;
using System.Text;

namespace Fresco.Core.Serialization;

/// <summary>
/// Writes a model body: little-endian scalars, length-prefixed strings and arrays of unmanaged values written
/// as raw bytes. Not thread-safe.
/// </summary>
public sealed class ModelWriter : IDisposable
{
    private readonly BinaryWriter _writer;

    public ModelWriter(Stream stream, bool leaveOpen = false)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files are little-endian; this machine is not.");
        }
        _writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen);
    }

    public void Write(int value) => _writer.Write(value);

    public void Write(long value) => _writer.Write(value);

    public void Write(float value) => _writer.Write(value);

    public void Write(double value) => _writer.Write(value);

    public void Write(bool value) => _writer.Write(value);

    public void Write(string value) => _writer.Write(value);

    /// <summary>Writes the element count, then the elements' bytes.</summary>
    public void WriteArray<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        _writer.Write((long)values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void WriteStrings(IReadOnlyList<string> values)
    {
        _writer.Write(values.Count);
        foreach (var value in values)
        {
            _writer.Write(value);
        }
    }

    /// <summary>Writes all options as name/value pairs so that a loaded model can report how it was trained.</summary>
    public void WriteOptions(IReadOnlyDictionary<string, string> options)
    {
        _writer.Write(options.Count);
        foreach (var (name, value) in options)
        {
            _writer.Write(name);
            _writer.Write(value);
        }
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}
