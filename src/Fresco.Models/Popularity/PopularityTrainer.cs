using Fresco.Core.Models;

namespace Fresco.Models.Popularity;

/// <summary>Counts item popularity, optionally decayed by event age. Thread-safe (static).</summary>
public static class PopularityTrainer
{
    public static PopularityModel Train(TrainingContext context)
    {
        var options = (PopularityOptions)context.Options;
        var data = context.Data;
        var scores = new float[data.ItemCount];
        var events = data.Interactions;
        if (options.HalfLifeDays > 0 && events is { HasTimestamps: true })
        {
            long now = 0;
            foreach (ref readonly var row in events.Rows)
            {
                now = Math.Max(now, row.Timestamp);
            }
            var lambda = Math.Log(2) / (options.HalfLifeDays * 86400.0);
            foreach (ref readonly var row in events.Rows)
            {
                if ((uint)row.ItemIndex < (uint)scores.Length)
                {
                    scores[row.ItemIndex] += (float)Math.Exp(-lambda * (now - row.Timestamp));
                }
            }
        }
        else
        {
            var matrix = data.UserItems;
            var columns = matrix.ColumnIndices;
            var values = matrix.Values;
            for (var i = 0; i < columns.Length; i++)
            {
                scores[columns[i]] += options.CountUsers ? 1f : values[i];
            }
        }
        return new PopularityModel(scores, options.ToDictionary());
    }
}
