using System.Text.Json;

namespace Fresco.Server.Tests.EndToEnd;

/// <summary>A server stopped and started again on the same data folder comes back with its data and its model.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly DataFolder _data = new();

    public void Dispose() => _data.Dispose();

    private static async Task<string> StateAsync(TestApp app)
    {
        var users = (await app.Json(app.Get("/api/users?n=1000"))).GetProperty("Users").GetArrayLength();
        var items = (await app.Json(app.Get("/api/items?n=1000"))).GetProperty("Items").GetArrayLength();
        var feedback = (await app.Json(app.Get("/api/feedback?n=1000"))).GetProperty("Feedback").GetArrayLength();
        var models = await app.Json(app.Get("/api/models"));
        var answer = await app.Json(app.Get("/api/recommend/ub3?n=8&explain=true"));
        var newcomer = await app.Json(app.Get("/api/recommend/newcomer?n=8&explain=true"));
        // Every answer has its own recommendation id: compare the lists without them.
        return System.Text.RegularExpressions.Regex.Replace(
            $"users {users}, items {items}, feedback {feedback}, serving {models.GetProperty("Serving")}\n{answer}\n{newcomer}",
            ",\"RecommId\":\"[0-9a-f]{32}\"", "");
    }

    [Fact]
    public async Task TheSameDataModelAndAnswersAfterARestart()
    {
        string before;
        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            await Shop.SeedAsync(app);
            var kind = await Shop.TrainAsync(app);
            // Written after training: served by folding in, and must survive the restart too. (A user unchanged since
            // training is scored from the model's own row in this process only, and folded in after a restart.)
            await app.Json(app.Post("/api/feedback", $"[{Shop.Feedback("view", "newcomer", "b1")},{Shop.Feedback("like", "ub3", "b8")}]"));
            await app.Json(app.SendJson(HttpMethod.Patch, "/api/item/b9", """{"IsHidden":true}"""));
            before = await StateAsync(app);
            Assert.StartsWith("users 21, items 20, feedback 102, serving ", before);
            Assert.Contains($"\"Source\":\"{kind}\"", before);
            Assert.DoesNotContain("b9", before);
        }

        await using (var app = await TestApp.StartRealAsync(_data.Path, Shop.Settings))
        {
            await app.Json(app.Get("/api/health/ready"));
            Assert.Equal(before, await StateAsync(app));
            Assert.True((await app.Json(app.Get("/api/item/b9"))).GetProperty("IsHidden").GetBoolean());
            // Still real time after the restart.
            await app.Json(app.Post("/api/feedback", $"[{Shop.Feedback("purchase", "ub3", "b0")}]"));
            Assert.DoesNotContain("b0", TestApp.Ids(await app.Json(app.Get("/api/recommend/ub3?n=40"))));
            Assert.Equal(JsonValueKind.Number, (await app.Json(app.Get("/api/models"))).GetProperty("Serving").ValueKind);
        }
    }
}
