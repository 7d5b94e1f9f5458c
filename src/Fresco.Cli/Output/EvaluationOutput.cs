using System.Globalization;
using System.Text;
using System.Text.Json;
using Fresco.Evaluation;

namespace Fresco.Cli.Output;

/// <summary>Writes an <see cref="EvaluationResult"/> as one JSON object (snake_case) or as a readable table. Thread-safe (static).</summary>
internal static class EvaluationOutput
{
    public static string ToJson(EvaluationResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("dataset", result.Dataset);
            json.WriteString("model", result.Model);
            json.WriteString("protocol", result.Protocol);
            json.WriteString("holdout", result.Holdout);
            json.WriteStartObject("options");
            foreach (var (name, value) in result.Options.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                WriteOption(json, name, value);
            }
            json.WriteEndObject();
            json.WriteNumber("users", result.Users);
            json.WriteNumber("items", result.Items);
            json.WriteNumber("interactions", result.Interactions);
            json.WriteNumber("evaluated_users", result.EvaluatedUsers);
            json.WriteStartObject("metrics");
            foreach (var (name, value) in result.Metrics)
            {
                WriteNumber(json, name, value);
            }
            json.WriteEndObject();
            WriteNumber(json, "train_seconds", result.TrainSeconds);
            WriteNumber(json, "eval_seconds", result.EvalSeconds);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string ToTable(EvaluationResult result)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{result.Model} on {result.Dataset} ({result.Protocol}, scored on {result.Holdout}): {result.Users} users, {result.Items} items, {result.Interactions} interactions; {result.EvaluatedUsers} users evaluated");
        if (result.Options.Count > 0)
        {
            text.AppendLine("options: " + string.Join(", ", result.Options.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        }
        var width = Math.Max(6, result.Metrics.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max());
        text.AppendLine(culture, $"{"metric".PadRight(width)}  value");
        foreach (var (name, value) in result.Metrics)
        {
            text.AppendLine(culture, $"{name.PadRight(width)}  {value:F4}");
        }
        text.Append(culture, $"train {result.TrainSeconds:F2} s, evaluation {result.EvalSeconds:F2} s");
        return text.ToString();
    }

    private static void WriteOption(Utf8JsonWriter json, string name, string value)
    {
        if (value is "true" or "false")
        {
            json.WriteBoolean(name, value == "true");
        }
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
