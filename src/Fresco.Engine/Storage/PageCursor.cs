using System.Buffers.Text;
using System.Text;

namespace Fresco.Engine.Storage;

/// <summary>
/// Encodes the last key of a page as an opaque cursor (base64url of its UTF-8 text), the same way in every store.
/// Thread-safe (stateless).
/// </summary>
public static class PageCursor
{
    public static string Encode(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>The key after which the page starts, or null for an empty cursor (start of the listing).</summary>
    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The cursor is not one this store returned.", nameof(cursor), e);
        }
    }

    public static long DecodeSequence(string? cursor)
    {
        var key = Decode(cursor);
        if (key is null)
        {
            return 0;
        }

        return long.TryParse(key, out var seq)
            ? seq
            : throw new ArgumentException("The cursor is not one this store returned.", nameof(cursor));
    }
}
