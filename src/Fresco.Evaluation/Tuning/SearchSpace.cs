using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>
/// Maps values of a <see cref="SearchRange"/> to the space samplers work in (the logarithm for a log-scale
/// range, the value itself otherwise) and back. Thread-safe (static).
/// </summary>
internal static class SearchSpace
{
    public static (double Low, double High) Bounds(SearchRange range) =>
        range.LogScale ? (Math.Log(range.Low), Math.Log(range.High)) : (range.Low, range.High);

    public static double ToInternal(SearchRange range, double value)
    {
        var (low, high) = Bounds(range);
        var x = range.LogScale ? Math.Log(Math.Max(value, range.Low)) : value;
        return Math.Clamp(double.IsFinite(x) ? x : low, low, high);
    }

    public static double FromInternal(SearchRange range, double x) => range.LogScale ? Math.Exp(x) : x;

    public static void Validate(SearchRange range, string name)
    {
        if (!(range.Low <= range.High) || (range.LogScale && range.Low <= 0))
        {
            throw new ArgumentException($"Search range of '{name}' is invalid: [{range.Low}, {range.High}]{(range.LogScale ? " in log scale" : "")}.");
        }
    }
}
