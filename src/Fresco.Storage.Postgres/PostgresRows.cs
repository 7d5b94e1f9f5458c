using Fresco.Engine.Storage;
using Npgsql;

namespace Fresco.Storage.Postgres;

/// <summary>Maps rows to records. Timestamps are stored as timestamptz (microseconds, UTC). Thread-safe (stateless).</summary>
internal static class PostgresRows
{
    public const string UserColumns = "user_id, labels, comment";
    public const string ItemColumns = "item_id, is_hidden, categories, labels, comment, ts";
    public const string FeedbackColumns = "feedback_type, user_id, item_id, value, ts, seq";

    public static User User(NpgsqlDataReader r) => new(r.GetString(0), r.GetFieldValue<string[]>(1), r.GetString(2));

    public static Item Item(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetBoolean(1), r.GetFieldValue<string[]>(2), r.GetFieldValue<string[]>(3), r.GetString(4), Time(r, 5));

    public static Feedback Feedback(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), Time(r, 4));

    /// <summary>Npgsql reads -infinity (an auto-created item) as <see cref="DateTimeOffset.MinValue"/>.</summary>
    public static DateTimeOffset Time(NpgsqlDataReader r, int ordinal) => r.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>Npgsql writes only UTC offsets to timestamptz.</summary>
    public static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();

    public static object Nullable(object? value) => value ?? DBNull.Value;
}
