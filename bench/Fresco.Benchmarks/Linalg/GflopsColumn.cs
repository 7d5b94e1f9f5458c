using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Fresco.Benchmarks.Linalg;

/// <summary>
/// A summary column with the achieved GFLOP/s of a square n x n x n multiply-like benchmark: 2 n^3 flops
/// (times <paramref name="flopsPerCube"/> / 2 for other kernels) over the mean time, n from the "N" parameter.
/// </summary>
public sealed class GflopsColumn(double flopsPerCube = 2.0) : IColumn
{
    public string Id => nameof(GflopsColumn) + flopsPerCube;

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{flopsPerCube} x N^3 floating-point operations per mean run time, in 10^9 per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        var n = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value;
        if (report?.ResultStatistics is not { } statistics || n is null)
        {
            return "-";
        }
        var size = Convert.ToDouble(n, System.Globalization.CultureInfo.InvariantCulture);
        return (flopsPerCube * size * size * size / statistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
