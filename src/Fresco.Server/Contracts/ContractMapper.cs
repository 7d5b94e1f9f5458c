using System.Globalization;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;

namespace Fresco.Server.Contracts;

/// <summary>
/// Converts between the wire contracts and the engine's records. The <c>TryTo*</c> methods validate (ids present and at
/// most <see cref="MaxIdLength"/> characters, timestamps RFC 3339 or a date) and return an error naming the field, so a
/// batch is checked whole before anything is written. Thread-safe (stateless).
/// </summary>
internal static class ContractMapper
{
    public const int MaxIdLength = 256;

    public static string? Id(string? id, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return $"{field} must not be empty.";
        }
        return id.Length > MaxIdLength ? $"{field} is {id.Length} characters long; at most {MaxIdLength} are allowed." : null;
    }

    public static string? TryToUser(UserContract? c, string at, out User user)
    {
        user = null!;
        if (c is null)
        {
            return $"{at} must be a user object, not null.";
        }
        if (Id(c.UserId, at + ".UserId") is { } error)
        {
            return error;
        }
        user = new User(c.UserId!, c.Labels ?? [], c.Comment ?? "");
        return null;
    }

    public static string? TryToItem(ItemContract? c, string at, out Item item)
    {
        item = null!;
        if (c is null)
        {
            return $"{at} must be an item object, not null.";
        }
        var timeError = TryTime(c.Timestamp, at + ".Timestamp", DateTimeOffset.MinValue, out var time);
        if ((Id(c.ItemId, at + ".ItemId") ?? timeError) is { } error)
        {
            return error;
        }
        item = new Item(c.ItemId!, c.IsHidden, c.Categories ?? [], c.Labels ?? [], c.Comment ?? "", time);
        return null;
    }

    public static string? TryToFeedback(FeedbackContract? c, string at, DateTimeOffset now, out Feedback feedback)
    {
        feedback = null!;
        if (c is null)
        {
            return $"{at} must be a feedback object, not null.";
        }
        var timeError = TryTime(c.Timestamp, at + ".Timestamp", now, out var time);
        var error = Id(c.FeedbackType, at + ".FeedbackType") ?? Id(c.UserId, at + ".UserId") ?? Id(c.ItemId, at + ".ItemId")
            ?? (double.IsFinite(c.Value) ? null : $"{at}.Value must be a finite number.") ?? timeError
            ?? (c.RecommId is null ? null : Id(c.RecommId, at + ".RecommId"));
        if (error is not null)
        {
            return error;
        }
        feedback = new Feedback(c.FeedbackType!, c.UserId!, c.ItemId!, c.Value, time) { RecommId = c.RecommId };
        return null;
    }

    /// <summary>Session feedback comes from an anonymous visitor: only the item id is required.</summary>
    public static string? TryToSessionFeedback(FeedbackContract? c, string at, DateTimeOffset now, out Feedback feedback)
    {
        feedback = null!;
        if (c is null)
        {
            return $"{at} must be a feedback object, not null.";
        }
        var timeError = TryTime(c.Timestamp, at + ".Timestamp", now, out var time);
        if ((Id(c.ItemId, at + ".ItemId") ?? timeError) is { } error)
        {
            return error;
        }
        feedback = new Feedback(c.FeedbackType ?? "", c.UserId ?? "", c.ItemId!, c.Value, time);
        return null;
    }

    public static string? TryToPatch(ItemPatchContract c, out ItemPatch patch)
    {
        patch = null!;
        DateTimeOffset? time = null;
        if (c.Timestamp is not null)
        {
            if (TryTime(c.Timestamp, "Timestamp", DateTimeOffset.MinValue, out var parsed) is { } error)
            {
                return error;
            }
            time = parsed;
        }
        patch = new ItemPatch(c.IsHidden, c.Categories, c.Labels, c.Comment, time);
        return null;
    }

    public static UserContract ToContract(User user) => new() { UserId = user.UserId, Labels = user.Labels, Comment = user.Comment };

    public static ItemContract ToContract(Item item) => new()
    {
        ItemId = item.ItemId,
        IsHidden = item.IsHidden,
        Categories = item.Categories,
        Labels = item.Labels,
        Comment = item.Comment,
        Timestamp = Format(item.Timestamp),
    };

    public static FeedbackContract ToContract(Feedback f) => new()
    {
        FeedbackType = f.FeedbackType,
        UserId = f.UserId,
        ItemId = f.ItemId,
        Value = f.Value,
        Timestamp = Format(f.Timestamp),
        Comment = "",
    };

    public static TrainingContract ToContract(TrainingReport report) => new(report.Outcome.Promoted, report.Outcome.Version,
        report.Outcome.Reason, report.Kind, report.Users, report.Items, report.Events, report.CandidateMetrics, report.ServingMetrics,
        report.Duration.TotalSeconds, report.BaselineMetrics, SearchContract.From(report));

    public static FeedbackContract[] ToContracts(IReadOnlyList<Feedback> rows)
    {
        var result = new FeedbackContract[rows.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ToContract(rows[i]);
        }
        return result;
    }

    /// <summary>RFC 3339 in UTC, as Go's time.Time marshals: "2024-05-01T12:30:00Z", fractions only when present.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string? TryTime(string? text, string field, DateTimeOffset fallback, out DateTimeOffset time)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            time = fallback;
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return null;
        }
        return $"{field} must be an RFC 3339 time such as 2024-05-01T12:30:00Z (or a date), not '{text}'.";
    }
}
