using Fresco.Core.Models;

namespace Fresco.Models.Popularity;

/// <summary>Options of the popularity model.</summary>
public sealed class PopularityOptions : ModelOptions
{
    /// <summary>Half-life of an event's weight in days (trending); 0 counts every event fully (all-time popular).</summary>
    public double HalfLifeDays { get; set; }

    /// <summary>Count distinct users (true) or sum event weights (false).</summary>
    public bool CountUsers { get; set; } = true;

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Real("half_life_days", "half-life of an event's weight in days; 0: no decay", () => HalfLifeDays, v => HalfLifeDays = v, 0, 36500),
        Parameter.Boolean("count_users", "count distinct users instead of summing event weights", () => CountUsers, v => CountUsers = v),
    ];
}
