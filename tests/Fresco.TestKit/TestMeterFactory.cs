using System.Diagnostics.Metrics;

namespace Fresco.TestKit;

/// <summary>
/// An <see cref="IMeterFactory"/> whose meters a test can tell apart from every other meter in the process (tests run
/// in parallel, and meters of one name are many). Disposing it disposes its meters. Thread-safe.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (_meters)
        {
            _meters.Add(meter);
        }
        return meter;
    }

    public bool Owns(Meter meter)
    {
        lock (_meters)
        {
            return _meters.Contains(meter);
        }
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
