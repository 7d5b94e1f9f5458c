namespace Fresco.Core.Data.Readers;

/// <summary>What a reader did: rows read, rows skipped, and the first few skipped rows with line numbers and reasons.</summary>
public sealed record ReadReport(string Format, long RowsRead, long RowsSkipped, IReadOnlyList<string> FirstProblems);
