namespace Fresco.Server.Contracts;

/// <summary>The answer of every write, <c>{"RowAffected": n}</c>: how many rows it wrote or deleted. Immutable value.</summary>
public sealed record WriteResult(int RowAffected);
