using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Fresco.Cli.Tests;

/// <summary>
/// Durability of `fresco serve`: a SIGKILL at a random moment during concurrent feedback writes loses no acknowledged
/// event, and no batch is half written.
/// </summary>
public sealed class KillTests
{
    private const int Clients = 4;
    private const int BatchSize = 10;

    private static string Batch(string user) => "[" + string.Join(',', Enumerable.Range(0, BatchSize).Select(i =>
        $$"""{"FeedbackType":"{{(i % 3 == 0 ? "purchase" : "view")}}","UserId":"{{user}}","ItemId":"i{{i}}","Timestamp":"2024-01-01T00:00:00Z"}""")) + "]";

    [Fact]
    public async Task AKillLosesNoAcknowledgedFeedbackAndNoBatchIsHalfWritten()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        var data = folder.PathOf("data");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var acknowledged = new ConcurrentBag<string>();
        var sent = new ConcurrentBag<string>();

        using (var server = await ServerProcess.StartAsync(data, cancellation))
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            var writers = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                for (var b = 0; ; b++)
                {
                    var user = $"c{c}-b{b}";
                    sent.Add(user);
                    try
                    {
                        using var content = new StringContent(Batch(user), Encoding.UTF8, "application/json");
                        using var response = await client.PostAsync("/api/feedback", content, cancellation);
                        if (!response.IsSuccessStatusCode)
                        {
                            return $"{user}: {(int)response.StatusCode}";
                        }
                        acknowledged.Add(user);
                    }
                    catch (HttpRequestException)
                    {
                        return "killed";
                    }
                }
            }, cancellation)).ToArray();

            // Let a few batches through, then kill at a random moment while the writers keep going.
            while (acknowledged.Count < 20 && !writers.Any(w => w.IsCompleted))
            {
                await Task.Delay(5, cancellation);
            }
            await Task.Delay(random.Next(0, 400), cancellation);
            server.Kill();
            Assert.All(await Task.WhenAll(writers), outcome => Assert.Equal("killed", outcome));
        }

        var acked = acknowledged.ToHashSet();
        using (var server = await ServerProcess.StartAsync(data, cancellation))
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            var present = 0;
            foreach (var user in sent)
            {
                using var response = await client.GetAsync($"/api/user/{user}/feedback", cancellation);
                var text = await response.Content.ReadAsStringAsync(cancellation);
                var rows = response.StatusCode == System.Net.HttpStatusCode.NotFound ? 0 : CountRows(text);
                Assert.True(rows is 0 or BatchSize, $"batch {user} is half written: {rows} rows (seed {seed})");
                Assert.True(rows == BatchSize || !acked.Contains(user), $"acknowledged batch {user} was lost (seed {seed})");
                present += rows == BatchSize ? 1 : 0;
            }
            Assert.Equal(present * BatchSize, await CountAllAsync(client, cancellation));
            Assert.True(acked.Count >= 20, $"only {acked.Count} acknowledged batches");
        }
    }

    private static int CountRows(string json) => JsonDocument.Parse(json).RootElement.GetArrayLength();

    private static async Task<int> CountAllAsync(HttpClient client, CancellationToken cancellation)
    {
        var (total, cursor) = (0, "");
        do
        {
            var page = JsonDocument.Parse(await client.GetStringAsync($"/api/feedback?n=10000&cursor={Uri.EscapeDataString(cursor)}", cancellation)).RootElement;
            total += page.GetProperty("Feedback").GetArrayLength();
            cursor = page.GetProperty("Cursor").GetString() ?? "";
        }
        while (cursor.Length > 0);
        return total;
    }
}
