using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Fresco.Benchmarks.Linalg;

/// <summary>
/// A summary column with the bytes of the item matrix a scoring benchmark reads: int8 methods (name starting
/// "Int8") Items * (64 + 8) for 64 factors (codes, scale, row sum), fp32 ones Items * 64 * 4.
/// </summary>
public sealed class ModelBytesColumn : IColumn
{
    public string Id => nameof(ModelBytesColumn);

    public string ColumnName => "Model bytes";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => "Bytes of the scored item matrix (int8: codes + scale + row sum per row; fp32: 4 bytes per factor)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var items = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Items")?.Value;
        if (items is null)
        {
            return "-";
        }
        var rows = Convert.ToInt64(items, System.Globalization.CultureInfo.InvariantCulture);
        var int8 = benchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("Int8", StringComparison.Ordinal);
        return (int8 ? rows * (Int8ScoringBenchmarks.Factors + 8) : rows * Int8ScoringBenchmarks.Factors * 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
