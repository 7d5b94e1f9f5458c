using Xunit;

namespace Fresco.Engine.Tests.Realtime;

/// <summary>Runs the live-state concurrency test alone, so its threads do not starve other timing-sensitive tests.</summary>
[CollectionDefinition(nameof(LiveConcurrencyCollection), DisableParallelization = true)]
public sealed class LiveConcurrencyCollection;
