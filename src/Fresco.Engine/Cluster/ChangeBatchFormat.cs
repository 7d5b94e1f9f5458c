using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Cluster;

/// <summary>
/// The bus's binary frame of a <see cref="ChangeBatch"/> (hand-written: the bus's JSON, through its converters, was a
/// measured share of a replica's ingestion CPU). Little-endian, strings as a varint byte length then UTF-8:
/// <code>
/// frame  := version:u8 (= 1)  origin:string  count:varint  record{count}
/// record := kind:u8 (a ChangeKind)  length:varint  body[length]
/// body   := Feedback: type:string user:string item:string value:f64 utcTicks:i64 offsetMinutes:i16 recommId:string?
///           Model: version:i64;  any other kind: key:string
/// string? := 0 (null) | byte length + 1, then UTF-8
/// </code>
/// Every record carries its length, so a reader skips a kind it does not know (a newer node's) and reads the rest;
/// a frame of another version is refused whole (<see cref="FormatException"/>): nodes of one cluster run one
/// version of the frame (a rolling upgrade that changes it falls back to the change log while versions are mixed).
/// Thread-safe (stateless).
/// </summary>
public static class ChangeBatchFormat
{
    /// <summary>The frame version this build writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>Writes <paramref name="batch"/> as one frame.</summary>
    public static byte[] Encode(ChangeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var buffer = new ArrayBufferWriter<byte>(64 + 48 * batch.Changes.Count);
        var body = new ArrayBufferWriter<byte>(128);
        Span<byte> one = stackalloc byte[1];
        one[0] = Version;
        buffer.Write(one);
        WriteString(buffer, batch.Origin);
        WriteVarint(buffer, (ulong)batch.Changes.Count);
        foreach (var change in batch.Changes)
        {
            body.ResetWrittenCount();
            WriteBody(body, change);
            one[0] = (byte)change.Kind;
            buffer.Write(one);
            WriteVarint(buffer, (ulong)body.WrittenCount);
            buffer.Write(body.WrittenSpan);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a frame; records of unknown kinds are left out. Throws <see cref="FormatException"/> when it is not one.</summary>
    public static ChangeBatch Decode(ReadOnlySpan<byte> frame)
    {
        var reader = new Reader(frame);
        var version = reader.Byte();
        if (version != Version)
        {
            throw new FormatException($"bus frame version {version}; this node reads version {Version}");
        }
        var origin = reader.String();
        var count = reader.Count();
        var changes = new List<Change>(Math.Min(count, frame.Length / 2));
        for (var i = 0; i < count; i++)
        {
            var kind = (ChangeKind)reader.Byte();
            var body = new Reader(reader.Bytes(reader.Count()));
            if (ReadBody(ref body, kind) is { } change)
            {
                changes.Add(change);
            }
        }
        if (!reader.AtEnd)
        {
            throw new FormatException("bytes after the last record of a bus frame");
        }
        return new ChangeBatch(origin, changes);
    }

    private static void WriteBody(IBufferWriter<byte> body, Change change)
    {
        switch (change.Kind)
        {
            case ChangeKind.Feedback:
                var f = change.Feedback ?? throw new ArgumentException("a feedback change without its row", nameof(change));
                WriteString(body, f.FeedbackType);
                WriteString(body, f.UserId);
                WriteString(body, f.ItemId);
                var fixedPart = body.GetSpan(18);
                BinaryPrimitives.WriteDoubleLittleEndian(fixedPart, f.Value);
                BinaryPrimitives.WriteInt64LittleEndian(fixedPart[8..], f.Timestamp.UtcTicks);
                BinaryPrimitives.WriteInt16LittleEndian(fixedPart[16..], (short)f.Timestamp.TotalOffsetMinutes);
                body.Advance(18);
                WriteOptionalString(body, f.RecommId);
                break;
            case ChangeKind.Model:
                BinaryPrimitives.WriteInt64LittleEndian(body.GetSpan(8), change.Version);
                body.Advance(8);
                break;
            default:
                WriteString(body, change.Key);
                break;
        }
    }

    private static Change? ReadBody(ref Reader body, ChangeKind kind)
    {
        Change? change;
        switch (kind)
        {
            case ChangeKind.Feedback:
                var (type, user, item) = (body.String(), body.String(), body.String());
                var value = BinaryPrimitives.ReadDoubleLittleEndian(body.Bytes(8));
                var ticks = BinaryPrimitives.ReadInt64LittleEndian(body.Bytes(8));
                var offset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(body.Bytes(2)));
                DateTimeOffset timestamp;
                try
                {
                    timestamp = new DateTimeOffset(ticks + offset.Ticks, offset);
                }
                catch (ArgumentException e)
                {
                    throw new FormatException("a feedback timestamp out of range in a bus frame", e);
                }
                change = Change.Inserted(new Feedback(type, user, item, value, timestamp) { RecommId = body.OptionalString() });
                break;
            case ChangeKind.Model:
                change = Change.Serving(BinaryPrimitives.ReadInt64LittleEndian(body.Bytes(8)));
                break;
            case ChangeKind.UserHistory or ChangeKind.User or ChangeKind.UserDeleted or ChangeKind.Item or ChangeKind.Scenario
                or ChangeKind.Experiment:
                change = new Change(kind, body.String());
                break;
            default:
                return null; // a kind from a newer node: skipped
        }
        if (!body.AtEnd)
        {
            throw new FormatException($"a {kind} record of a bus frame is longer than its fields");
        }
        return change;
    }

    private static void WriteString(IBufferWriter<byte> buffer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(buffer, (ulong)length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    private static void WriteOptionalString(IBufferWriter<byte> buffer, string? value)
    {
        if (value is null)
        {
            WriteVarint(buffer, 0);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint(buffer, (ulong)length + 1);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    private static void WriteVarint(IBufferWriter<byte> buffer, ulong value)
    {
        var span = buffer.GetSpan(10);
        var n = 0;
        for (; value >= 0x80; value >>= 7)
        {
            span[n++] = (byte)(value | 0x80);
        }
        span[n++] = (byte)value;
        buffer.Advance(n);
    }

    /// <summary>Reads a frame's fields in order; every read checks the bounds (a frame comes from the network).</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public byte Byte() => Bytes(1)[0];

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || n > _data.Length - _position)
            {
                throw new FormatException("a bus frame ends inside a field");
            }
            var bytes = _data.Slice(_position, n);
            _position += n;
            return bytes;
        }

        /// <summary>A varint that counts bytes or records: at most int.MaxValue.</summary>
        public int Count()
        {
            ulong value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= int.MaxValue ? (int)value : throw new FormatException("a count out of range in a bus frame");
                }
            }
            throw new FormatException("a varint longer than 5 bytes in a bus frame");
        }

        public string String() => Encoding.UTF8.GetString(Bytes(Count()));

        public string? OptionalString() => Count() is var n and > 0 ? Encoding.UTF8.GetString(Bytes(n - 1)) : null;
    }
}
