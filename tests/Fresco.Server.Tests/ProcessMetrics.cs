namespace Fresco.Server.Tests;

/// <summary>
/// Tests that read process-wide metrics (/metrics comes from one Prometheus registry per process, which every engine's
/// meter feeds) run in this collection, alone: no other test's engine runs beside them.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ProcessMetrics;
