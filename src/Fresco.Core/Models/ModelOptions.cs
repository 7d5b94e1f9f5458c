namespace Fresco.Core.Models;

/// <summary>
/// The options of one model: defaults in code, every option a named <see cref="Parameter"/> so that the CLI,
/// the server's configuration and hyper-parameter search set them the same way. Not thread-safe: build one,
/// then hand it to a trainer, which must not change it.
/// </summary>
public abstract class ModelOptions
{
    private Parameter[]? _parameters;

    /// <summary>Worker threads for training and batch scoring; 0 means all cores.</summary>
    public int Threads { get; set; }

    /// <summary>Seed for every random choice: the same seed and data give the same model.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The effective thread count (all cores when <see cref="Threads"/> is 0).</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>Every option of this model, its own first, then <c>threads</c> and <c>seed</c>.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters ??=
    [
        .. DescribeParameters(),
        Parameter.Integer("threads", "worker threads (0: all cores)", () => Threads, v => Threads = v, 0, 1024),
        Parameter.Integer("seed", "random seed", () => Seed, v => Seed = v, int.MinValue, int.MaxValue),
    ];

    /// <summary>Sets option <paramref name="name"/> from text; an unknown name or a bad value throws an <see cref="OptionException"/> that lists the valid ones.</summary>
    public void Set(string name, string value)
    {
        foreach (var parameter in Parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                parameter.Set(value);
                return;
            }
        }
        var valid = string.Join(", ", Parameters.Select(p => $"{p.Name} ({p.ValidValues})"));
        throw new OptionException($"Unknown option '{name}'. Valid options: {valid}.");
    }

    /// <summary>Sets every "name=value" pair; see <see cref="Set(string, string)"/>.</summary>
    public void SetAll(IEnumerable<string> assignments)
    {
        foreach (var assignment in assignments)
        {
            var pair = assignment.Split('=', 2);
            if (pair.Length != 2 || pair[0].Trim().Length == 0)
            {
                throw new OptionException($"'{assignment}' is not of the form name=value.");
            }
            Set(pair[0].Trim(), pair[1]);
        }
    }

    /// <summary>The current value of every option, by name.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() =>
        Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    /// <summary>A copy with the same values.</summary>
    public ModelOptions Clone()
    {
        var copy = (ModelOptions)MemberwiseClone();
        copy._parameters = null;
        return copy;
    }

    /// <summary>Checks the combination of values; throws <see cref="OptionException"/> when invalid.</summary>
    public virtual void Validate()
    {
    }

    /// <summary>The model's own options (not threads and seed).</summary>
    protected abstract IEnumerable<Parameter> DescribeParameters();
}
