namespace Fresco.Core.Data.Readers;

/// <summary>How to read a data file: the format (null: detect) and, for <c>events</c> CSV, which columns hold what.</summary>
public sealed record ReadOptions
{
    /// <summary>movielens | sequence | split | events; null detects from the file.</summary>
    public string? Format { get; init; }

    // Column indices (0-based) of the events format.
    public int UserColumn { get; init; }

    public int ItemColumn { get; init; } = 1;

    public int EventTypeColumn { get; init; } = -1;

    public int TimestampColumn { get; init; } = -1;

    public int ValueColumn { get; init; } = -1;

    public int CategoryColumn { get; init; } = -1;

    public char? Delimiter { get; init; }

    public bool? HasHeader { get; init; }
}
