using System.Buffers.Text;
using System.Globalization;
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

    /// <summary>
    /// The page of a listing fetched with a limit of <paramref name="n"/> + 1 rows in listing order: the first
    /// <paramref name="n"/>, with the cursor of the last of them when there were more (empty when the listing is done).
    /// </summary>
    public static Page<T> PageOf<T>(List<T> rows, int n, Func<T, string> key)
    {
        if (rows.Count <= n)
        {
            return new Page<T>(rows, "");
        }
        rows.RemoveRange(n, rows.Count - n);
        return new Page<T>(rows, Encode(key(rows[^1])));
    }

    /// <summary><see cref="PageOf{T}"/> for rows keyed by an insertion sequence (read back by <see cref="DecodeSequence"/>).</summary>
    public static Page<T> PageOfSequence<T>(List<(T Row, long Seq)> rows, int n)
    {
        var page = PageOf(rows, n, r => r.Seq.ToString(CultureInfo.InvariantCulture));
        return new Page<T>(page.Items.Select(r => r.Row).ToList(), page.Cursor);
    }
}
