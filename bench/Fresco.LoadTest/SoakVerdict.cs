using System.Globalization;

namespace Fresco.LoadTest;

/// <summary>
/// The checks of a soak over its periods, after <c>warmup</c> periods: memory of the last period against the first
/// period after the warm-up (growth in percent), recommend p99 of every later period against that same period's, and
/// answers that were not 2xx (none allowed, warm-up included). Immutable.
/// </summary>
internal sealed record SoakVerdict(double MemoryGrowth, double WorstP99Growth, long Errors, IReadOnlyList<string> Failures)
{
    /// <param name="maxP99Growth">Percent; null: p99 is reported, not checked.</param>
    public static SoakVerdict Of(IReadOnlyList<SoakPeriod> periods, int warmup, double maxMemoryGrowth, double? maxP99Growth)
    {
        if (periods.Count < warmup + 2)
        {
            throw new ArgumentException($"{periods.Count} periods: a soak needs the warm-up ({warmup}) and two more");
        }
        var baseline = periods[warmup];
        var last = periods[^1];
        var memoryGrowth = 100.0 * (last.Memory - baseline.Memory) / baseline.Memory;
        var worstP99 = periods.Skip(warmup + 1).Max(p => 100.0 * (p.P99 - baseline.P99) / baseline.P99);
        var errors = periods.Sum(p => p.Errors);
        var failures = new List<string>();
        if (memoryGrowth >= maxMemoryGrowth)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"memory grew {memoryGrowth:F1}% after the warm-up (limit {maxMemoryGrowth}%)"));
        }
        if (maxP99Growth is { } limit && worstP99 > limit)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"recommend p99 rose {worstP99:F1}% over the first period after the warm-up (limit {limit}%)"));
        }
        if (errors > 0)
        {
            failures.Add($"{errors} answers were not 2xx");
        }
        return new SoakVerdict(memoryGrowth, worstP99, errors, failures);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"memory growth after warm-up {MemoryGrowth:F1}%, worst recommend p99 vs first measured period {WorstP99Growth:+0.0;-0.0}%, errors {Errors}: ")
        + (Failures.Count == 0 ? "pass" : "FAIL: " + string.Join("; ", Failures));
}
