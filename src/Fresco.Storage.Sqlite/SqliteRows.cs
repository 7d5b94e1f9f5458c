using System.Text.Json;
using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Fresco.Storage.Sqlite;

/// <summary>Maps rows to records and lists to JSON columns. Thread-safe (stateless).</summary>
internal static class SqliteRows
{
    public const string UserColumns = "user_id, labels, comment";
    public const string ItemColumns = "item_id, is_hidden, categories, labels, comment, timestamp";
    public const string FeedbackColumns = "feedback_type, user_id, item_id, value, timestamp, seq";

    public static string Json(string[]? values) => JsonSerializer.Serialize(values ?? []);

    public static string[] Strings(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    public static User User(SqliteDataReader r) => new(r.GetString(0), Strings(r.GetString(1)), r.GetString(2));

    public static Item Item(SqliteDataReader r) => new(
        r.GetString(0), r.GetInt64(1) != 0, Strings(r.GetString(2)), Strings(r.GetString(3)), r.GetString(4), Time(r.GetInt64(5)));

    public static Feedback Feedback(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), Time(r.GetInt64(4)));

    public static object Nullable(object? value) => value ?? DBNull.Value;
}
