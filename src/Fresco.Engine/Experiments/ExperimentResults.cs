namespace Fresco.Engine.Experiments;

/// <summary>
/// An experiment's results so far: per variant, the attributed counts and rates and the comparison with the control (the
/// first variant); <see cref="SampleRatioPValue"/> is the chi-squared test of the users per variant against the
/// configured weights (a small value, say below 0.001, means the assignment or the recording is broken and the
/// comparisons cannot be trusted; null without users). Immutable value; the JSON of
/// <c>GET /api/experiments/{name}/results</c>.
/// </summary>
public sealed record ExperimentResults(string Experiment, string Scenario, double? SampleRatioPValue, IReadOnlyList<VariantResults> Variants);

/// <summary>
/// One variant's results: <see cref="Ctr"/> is clicks over impressions (null without impressions),
/// <see cref="ConversionRate"/> the share of users with a purchase, <see cref="RevenuePerUser"/> the revenue over the
/// users; <see cref="Difference"/> (variant minus control), its 95% <see cref="ConfidenceInterval"/> and the two-sided
/// <see cref="PValue"/> per metric, null for the control. Immutable value.
/// </summary>
public sealed record VariantResults(string Name, long Users, long Impressions, long Clicks, long Carts, long Purchases, double? Ctr,
    double? ConversionRate, double? RevenuePerUser, MetricValues? Difference, MetricIntervals? ConfidenceInterval, MetricValues? PValue);

/// <summary>One number per compared metric; null where it is undefined (too few users, no impressions). Immutable value.</summary>
public sealed record MetricValues(double? Ctr, double? ConversionRate, double? RevenuePerUser);

/// <summary>One [low, high] interval per compared metric; null where it is undefined. Immutable value.</summary>
public sealed record MetricIntervals(IReadOnlyList<double>? Ctr, IReadOnlyList<double>? ConversionRate, IReadOnlyList<double>? RevenuePerUser);
