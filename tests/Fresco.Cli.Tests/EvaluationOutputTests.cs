using System.Text.Json;
using Fresco.Cli.Output;
using Fresco.Evaluation;
using Xunit;

namespace Fresco.Cli.Tests;

public sealed class EvaluationOutputTests
{
    private static readonly EvaluationResult s_result = new(
        "ml-100k", "popularity", "random",
        new Dictionary<string, string> { ["count_users"] = "true", ["half_life_days"] = "0.5", ["mode"] = "fast" },
        943, 1682, 100_000, 940,
        new Dictionary<string, double> { ["NDCG@10"] = 0.25, ["HR@10"] = double.NaN },
        1.5, 0.25);

    [Fact]
    public void JsonIsOneSnakeCaseObjectWithTypedOptions()
    {
        var text = EvaluationOutput.ToJson(s_result);
        Assert.DoesNotContain('\n', text);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(
            ["dataset", "model", "protocol", "holdout", "options", "users", "items", "interactions", "evaluated_users", "metrics", "train_seconds", "eval_seconds"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ml-100k", root.GetProperty("dataset").GetString());
        Assert.Equal("test", root.GetProperty("holdout").GetString());
        Assert.True(root.GetProperty("options").GetProperty("count_users").GetBoolean());
        Assert.Equal(0.5, root.GetProperty("options").GetProperty("half_life_days").GetDouble());
        Assert.Equal("fast", root.GetProperty("options").GetProperty("mode").GetString());
        Assert.Equal(940, root.GetProperty("evaluated_users").GetInt32());
        Assert.Equal(0.25, root.GetProperty("metrics").GetProperty("NDCG@10").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("metrics").GetProperty("HR@10").ValueKind);
        Assert.Equal(1.5, root.GetProperty("train_seconds").GetDouble());
    }

    [Fact]
    public void TableListsEveryMetric()
    {
        var lines = EvaluationOutput.ToTable(s_result).Split('\n');
        Assert.StartsWith("popularity on ml-100k (random, scored on test): 943 users, 1682 items, 100000 interactions; 940 users evaluated", lines[0]);
        Assert.Contains("NDCG@10  0.2500", lines);
        Assert.Equal("train 1.50 s, evaluation 0.25 s", lines[^1]);
    }
}
