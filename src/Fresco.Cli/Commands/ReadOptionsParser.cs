using System.Globalization;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;

namespace Fresco.Cli.Commands;

/// <summary>Turns --format and --columns text into <see cref="ReadOptions"/>. Thread-safe (static).</summary>
internal static class ReadOptionsParser
{
    public static ReadOptions Parse(string? format, string? columns)
    {
        var options = new ReadOptions { Format = string.IsNullOrWhiteSpace(format) ? null : format.Trim().ToLowerInvariant() };
        if (options.Format is not null && !DataFormat.All.Contains(options.Format))
        {
            throw new OptionException($"Unknown format '{format}'. Known formats: {string.Join(", ", DataFormat.All)}.");
        }
        if (string.IsNullOrWhiteSpace(columns))
        {
            return options;
        }
        options = options with { Format = options.Format ?? DataFormat.Events };
        foreach (var part in columns.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var column))
            {
                throw new OptionException($"--columns part '{part}' is not of the form name=index.");
            }
            options = pair[0].ToLowerInvariant() switch
            {
                "user" => options with { UserColumn = column },
                "item" => options with { ItemColumn = column },
                "type" or "event" => options with { EventTypeColumn = column },
                "time" or "timestamp" => options with { TimestampColumn = column },
                "value" or "rating" => options with { ValueColumn = column },
                "category" => options with { CategoryColumn = column },
                _ => throw new OptionException($"Unknown column '{pair[0]}' in --columns. Valid: user, item, type, time, value, category."),
            };
        }
        return options;
    }
}
