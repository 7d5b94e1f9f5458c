using System.Text.Json;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary><c>Training:Model = auto</c> over HTTP with the real engine, on the tiny two-taste shop.</summary>
public sealed class AutoModelTests : IDisposable
{
    private static readonly (string Key, string? Value)[] s_settings =
    [
        ("Training:Model", "auto"),
        ("Training:SearchTrials", "8"),
        ("Training:Interval", "00:00:00"),
        ("Training:AfterEvents", "0"),
        ("Training:MinEvents", "10"),
    ];

    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task ModelsShowsEveryCandidateTriedWithItsOptionsAndValidationAndWhyTheWinnerWon()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, s_settings);
        await Shop.SeedAsync(app);
        var kind = await Shop.TrainAsync(app);

        var models = await app.Json(app.Get("/api/models"));
        Assert.Equal(kind, models.GetProperty("ServingKind").GetString());
        var search = models.GetProperty("LastSearch");
        Assert.Equal(kind, search.GetProperty("Winner").GetString());
        Assert.Equal(models.GetProperty("Serving").GetInt64(), search.GetProperty("Version").GetInt64());
        Assert.StartsWith(kind, search.GetProperty("Why").GetString(), StringComparison.Ordinal);
        var candidates = search.GetProperty("Candidates").EnumerateArray().ToArray();
        Assert.Equal("search", search.GetProperty("Mode").GetString());
        Assert.Equal(["popularity", "itemknn", "ease", "als", "bpr", "lightgcn", "transformer"],
            candidates.Select(c => c.GetProperty("Kind").GetString()).Distinct());
        Assert.All(candidates.Where(c => c.GetProperty("Error").ValueKind == JsonValueKind.Null),
            c => Assert.True(c.GetProperty("Validation").TryGetProperty("NDCG@10", out _), c.GetRawText()));
        Assert.All(candidates, c => Assert.True(c.GetProperty("Options").TryGetProperty("seed", out _), c.GetRawText()));
    }

    [Theory]
    [InlineData("a3", 'a')]
    [InlineData("b7", 'b')]
    public async Task TheChosenModelFollowsANewUsersTasteFromTheFirstEvent(string touched, char group)
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, s_settings);
        await Shop.SeedAsync(app);
        var kind = await Shop.TrainAsync(app);
        Assert.NotEqual("popularity", kind);

        await app.Json(app.Post("/api/feedback", $"[{Shop.Feedback("view", "newcomer", touched)}]"));
        var after = (await app.Json(app.Get("/api/recommend/newcomer?n=5&explain=true"))).EnumerateArray().ToArray();

        var fromModel = after.TakeWhile(e => e.GetProperty("Source").GetString() == kind).Select(e => e.GetProperty("Id").GetString()!).ToArray();
        var shown = string.Join(",", after.Select(e => e.GetRawText()));
        Assert.True(fromModel.Length >= 3, shown);
        Assert.True(fromModel.All(id => id[0] == group), shown);
    }

    [Fact]
    public async Task TheChosenModelFollowsAUsersTastesAfterEverySingleEvent()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, s_settings);
        await Shop.SeedAsync(app);
        var kind = await Shop.TrainAsync(app);

        // One event at a time, through fold-in (no training in between): first a's, then b's until they outnumber them.
        var bShares = new List<int>();
        foreach (var item in new[] { "a3", "b7", "b2", "b5" })
        {
            await app.Json(app.Post("/api/feedback", $"[{Shop.Feedback("view", "newcomer", item)}]"));
            var list = (await app.Json(app.Get("/api/recommend/newcomer?n=6&explain=true"))).EnumerateArray().ToArray();
            var fromModel = list.TakeWhile(e => e.GetProperty("Source").GetString() == kind).Select(e => e.GetProperty("Id").GetString()!).ToArray();
            Assert.True(fromModel.Length >= 3, $"after {item}: {string.Join(",", list.Select(e => e.GetRawText()))}");
            bShares.Add(fromModel.Take(3).Count(id => id[0] == 'b'));
        }

        Assert.Equal(0, bShares[0]);
        Assert.True(bShares.Zip(bShares.Skip(1)).All(p => p.Second >= p.First), string.Join(",", bShares));
        Assert.True(bShares[^1] >= 2, string.Join(",", bShares));
    }

    [Fact]
    public async Task ModelsSaysWhenARunRetrainedTheLastWinnerInsteadOfSearching()
    {
        await using var app = await TestApp.StartRealAsync(_data.Path, [.. s_settings, ("Training:SearchEvery", "2")]);
        await Shop.SeedAsync(app);
        var kind = await Shop.TrainAsync(app);
        var first = (await app.Json(app.Get("/api/models"))).GetProperty("Serving").GetInt64();
        await Shop.TrainAsync(app);

        var search = (await app.Json(app.Get("/api/models"))).GetProperty("LastSearch");
        Assert.Equal("retrain", search.GetProperty("Mode").GetString());
        Assert.Equal(kind, search.GetProperty("Winner").GetString());
        Assert.Equal(first, search.GetProperty("FromVersion").GetInt64());
        Assert.Equal(1, search.GetProperty("RunsSinceSearch").GetInt32());
        Assert.Empty(search.GetProperty("Candidates").EnumerateArray());
        Assert.StartsWith($"retrained {kind} with the options stored with version {first}", search.GetProperty("Why").GetString(), StringComparison.Ordinal);
    }
}
