namespace Fresco.Core.Data.Readers;

/// <summary>Reads any supported data file or folder. Thread-safe (static).</summary>
public static class DataReader
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="InvalidDataException"/> with a clear message when nothing usable remains.</summary>
    public static DataSet Read(string path, ReadOptions? options = null) =>
        throw new NotImplementedException("readers are being written");
}
