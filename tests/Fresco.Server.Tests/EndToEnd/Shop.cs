using System.Text;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>
/// A tiny shop with two taste groups: items a0..a9 in category "A", b0..b9 in "B"; users ua0..ua9 view five A items
/// each (ua{u} views a{u}..a{u+4}, modulo 10), ub0..ub9 five B items the same way. 100 events, 20 users, 20 items.
/// ALS with a fixed seed is trained on it in well under a second. Thread-safe (static).
/// </summary>
internal static class Shop
{
    public const int ItemsPerGroup = 10;
    public const int UsersPerGroup = 10;
    public const int ViewsPerUser = 5;

    /// <summary>Settings for a real engine that trains only when asked, on this shop.</summary>
    public static readonly (string Key, string? Value)[] Settings =
    [
        ("Training:Model", "als"),
        ("Training:ModelOptions:0", "factors=16"),
        ("Training:ModelOptions:1", "iterations=10"),
        ("Training:ModelOptions:2", "regularization=0.1"), // the default (40) flattens a model of 100 events
        ("Training:ModelOptions:3", "solver=cholesky"),
        ("Training:Interval", "00:00:00"),
        ("Training:AfterEvents", "0"),
        ("Training:MinEvents", "10"),
    ];

    public static string Item(char group, int i) => $"{group}{i % ItemsPerGroup}";

    public static IEnumerable<string> Views(char group, int user) =>
        Enumerable.Range(user, ViewsPerUser).Select(i => Item(group, i));

    /// <summary>Inserts the catalog and the feedback of both groups.</summary>
    public static async Task SeedAsync(TestApp app)
    {
        var items = new StringBuilder("[");
        foreach (var group in "ab")
        {
            for (var i = 0; i < ItemsPerGroup; i++)
            {
                items.Append(items.Length > 1 ? "," : "").Append(
                    $$"""{"ItemId":"{{Item(group, i)}}","Categories":["{{char.ToUpperInvariant(group)}}"],"Timestamp":"2024-01-01T00:00:00Z"}""");
            }
        }
        var inserted = await app.Json(app.Post("/api/items", items.Append(']').ToString()));
        Assert.Equal(2 * ItemsPerGroup, inserted.GetProperty("RowAffected").GetInt32());

        var feedback = new List<string>();
        foreach (var group in "ab")
        {
            for (var u = 0; u < UsersPerGroup; u++)
            {
                feedback.AddRange(Views(group, u).Select(item => Feedback("view", $"u{group}{u}", item)));
            }
        }
        var written = await app.Json(app.Post("/api/feedback", $"[{string.Join(',', feedback)}]"));
        Assert.Equal(2 * UsersPerGroup * ViewsPerUser, written.GetProperty("RowAffected").GetInt32());
    }

    /// <summary>Trains now and checks the candidate was promoted; answers the model kind.</summary>
    public static async Task<string> TrainAsync(TestApp app)
    {
        var report = await app.Json(app.Post("/api/models/train", ""));
        Assert.True(report.GetProperty("Promoted").GetBoolean(), report.GetRawText());
        return report.GetProperty("Kind").GetString()!;
    }

    public static string Feedback(string type, string user, string item) =>
        $$"""{"FeedbackType":"{{type}}","UserId":"{{user}}","ItemId":"{{item}}","Timestamp":"2024-02-01T00:00:00Z"}""";
}
